"""The billing engine: small inputs of any number type reach one compiled loop."""

from __future__ import annotations

import numpy as np

from pai_model.formulas import _kernels
from pai_model.formulas.engine import bill_amounts


def test_ints_floats_and_read_only_arrays_share_one_compiled_loop():
    # the billing page's examples: 23,932.70 USD/month x 2 nodes x 1 month = 47,865.40;
    # 0.73 USD/minute x 1 node x 45 minutes = 32.85
    frozen = np.array([2])
    frozen.flags.writeable = False
    months = [
        (np.array([23932.70]), np.array([2]), np.array([1])),
        (np.array([23932.70]), np.array([2.0]), np.array([1.0])),
        (np.array([23932.70]), frozen, np.array([1], dtype=np.int32)),
    ]
    minutes = [
        (np.array([0.73]), np.array([1]), np.array([45])),
        (np.array([0.73]), np.array([1.0]), np.array([45.0])),
    ]
    for arguments in months:
        amounts, _ = bill_amounts(*arguments, decimals=2, price_unit="month")
        assert amounts.tolist() == [47865.40]
    for arguments in minutes:
        amounts, _ = bill_amounts(*arguments, decimals=2, price_unit="minute")
        assert amounts.tolist() == [32.85]
    small = [s for s in _kernels.bill.signatures if s[0].dtype.name == "float64"]
    inputs = {tuple((a.dtype.name, a.mutable) for a in s[:3]) for s in small}
    assert ((("float64", False),) * 3) in inputs
    assert all(not a.mutable for s in _kernels.bill.signatures for a in s[:3])
    assert not any(a.dtype.name == "int32" for s in _kernels.bill.signatures for a in s[:3])
