"""Decisions: what to buy and what it saves. DataFrames in, DataFrames out.

Break-even tables (:mod:`.comparison`), dated projects (:mod:`.projects`), fleets
(:mod:`.fleet`), the what-if panel's numbers (:mod:`.whatif`), the commitment planner
(:mod:`.planning`) and its walk-forward test (:mod:`.backtest`). No text for people, no
HTML: that is :mod:`pai_model.display`'s. The account is read only through :mod:`pai_model.data`.
"""
