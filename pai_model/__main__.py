"""``python -m pai_model``: the pai-cost command line."""

from pai_model.cli import run

if __name__ == "__main__":
    run()
