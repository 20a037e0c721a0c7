"""The user's own Alibaba Cloud account: real prices, held subscriptions, bills and jobs.

One module per concern, all through Alibaba's official SDKs:

- :mod:`~pai_model.account.clients`: the SDK clients, endpoints, the default credential
  chain (credentials are never printed, logged or written), the RAM actions the kit calls;
- :mod:`~pai_model.account.calls`: retries with backoff and jitter, the rate limit,
  paging, kept raw responses, atomic writes;
- :mod:`~pai_model.account.bss`: BssOpenApi on the China or the international site;
- :mod:`~pai_model.account.mapping`: which product and module prices which resource type
  (``pai_model/data/catalogs/alibaba_products.yaml``);
- :mod:`~pai_model.account.fetch`: a validated price catalog (``pai-cost catalog fetch``);
- :mod:`~pai_model.account.discover`: the products and modules an account sees;
- :mod:`~pai_model.account.subscriptions`: the nodes the account already holds;
- :mod:`~pai_model.account.bills`: DescribeInstanceBill lines as FOCUS rows;
- :mod:`~pai_model.account.dlc_jobs`: PAI-DLC ListJobs as the planner's job records.

Only read-only actions are called.
"""
