"""Bills: pricing orders and re-pricing billed lines, exact at any size.

Orders (:mod:`.orders`, pandas or Dask), one order fast (:mod:`.quotes`), billed rows
mapped to the catalog (:mod:`.usage`), reconciliation in memory or streamed
(:mod:`.reconcile`, :mod:`.reconcile_files`) and FOCUS rows out (:mod:`.focus_export`).
"""
