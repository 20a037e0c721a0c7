"""Commitment planning: how many nodes to subscribe, from a usage history.

One module per concern, in the order of the pipeline:

- :mod:`~pai_model.data.jobs`: the tables the planner reads (job records, demand
  samples, demand tables), checked, every bad record listed;
- :mod:`~pai_model.decisions.planning.demand`: demand from job records or samples, a run-length
  encoded series per (region, hardware), never a minute grid;
- :mod:`~pai_model.decisions.planning.prices`: the offer of each pair, discounts (percent off),
  the preemptible tier, the horizon;
- :mod:`~pai_model.decisions.planning.curve`: the load-duration levels and the cost of every
  subscription count, in the billing engine's integer cents;
- :mod:`~pai_model.decisions.planning.plan`: the plan (:func:`size_commitment`);
- :mod:`~pai_model.decisions.planning.simulation`: the plan under resampled demand
  (:func:`simulate_plan`);
- :mod:`~pai_model.decisions.planning.pipeline`: all of it in one call
  (:func:`plan_commitment`), used by ``pai-cost plan`` and the ``commitment_plan``
  notebook.

Prose about a plan (:func:`~pai_model.display.planning.explain_recommendation`) and its
display table (:func:`~pai_model.display.planning.recommendation_display`) are
presentation, in :mod:`pai_model.display.planning`.
"""
