"""Formulas: the billing page's arithmetic, exact to the cent.

Bills (:mod:`.billing`), break-even (:mod:`.breakeven`), calendar terms (:mod:`.terms`),
argument bounds and checks (:mod:`.arguments`), the bill in ``decimal`` (:mod:`.exact`),
whole arrays in integer minor units (:mod:`.engine`), exact sums (:mod:`.totals`) and
money as text (:mod:`.money_text`). Imports nothing of the kit but its errors.
"""
