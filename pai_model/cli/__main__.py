from pai_model.cli import run

run()
