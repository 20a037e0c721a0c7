"""Words the kit uses with one meaning everywhere, importable without pandas (the command
line's ``--help`` says them before any table is read)."""

#: What the kit counts as one offer, wherever it prints a number of offers.
OFFER_MEANING = (
    "an offer is one node spec in one region (one catalog row) with its prices:"
    " subscription, pay-as-you-go or both"
)
