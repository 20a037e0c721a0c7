"""Data: tables in and out, read once, checked, every problem named.

The one reader of every table (:mod:`.tables`) and its models (:mod:`.schemas`,
:mod:`.focus_schema`); price catalogs (:mod:`.catalog`, :mod:`.regions`, :mod:`.offers`),
job records (:mod:`.jobs`), FOCUS exports (:mod:`.focus`, :mod:`.sources`), decimal text
(:mod:`.decimals`), price ages (:mod:`.freshness`) and labelled synthetic usage.
"""
