"""FOCUS 1.0 cost and usage rows: the spec's column rules as pandera models.

:class:`FocusSchema` encodes the rules of the FinOps Open Cost and Usage Specification,
version 1.0 [1]_, that a table can check: each column's type, the allowed values of the
enumerated columns, nullability and the rules between columns. The kit's own FOCUS rows
(:func:`~pai_model.bills.focus_export.to_focus`) are validated with it. :class:`AlibabaFocusSchema`
is the same model with Alibaba Cloud's documented deviations [2]_ allowed, for reading
Alibaba's "Standard Bill FOCUS" export (:func:`~pai_model.data.focus.read_focus`).

Decimal columns (costs, prices, quantities) are text: plain decimals or E-notation, read
exactly, never through float. Times are UTC (the reader converts offsets to UTC; the
kit's rows are written as ``YYYY-MM-DDTHH:MM:SSZ``). Columns of a provider's or of the
kit's own are prefixed ``x_`` and come after the FOCUS columns.

``pai_model.data.schemas`` gives these models too (``from pai_model.data.schemas import
FocusSchema``); they live here to keep that module small.

References
----------
.. [1] FOCUS specification v1.0, ``specification/columns/*.md`` and
   ``specification/attributes/*.md`` (GitHub FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec,
   tag v1.0).
.. [2] Alibaba Cloud help: "Alibaba Cloud FOCUS 1.0 (Preview) field differences"
   (Feb 2026).
.. [3] FOCUS specification v1.1, ``specification/columns/*.md`` (same repository, tag v1.1).
.. [4] FOCUS specification v1.2, ``specification/columns/*.md`` (same repository, tag v1.2).
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from pai_model.data.pandera_lean import Series, pa
from pai_model.data.schemas import row_check
from pai_model.formulas.arguments import DECIMAL

FOCUS_VERSION = "1.0"
CHARGE_CATEGORIES = ("Usage", "Purchase", "Tax", "Credit", "Adjustment")
CHARGE_FREQUENCIES = ("One-Time", "Recurring", "Usage-Based")
PRICING_CATEGORIES = ("Standard", "Dynamic", "Committed", "Other")
SERVICE_CATEGORIES = (
    "AI and Machine Learning",
    "Analytics",
    "Business Applications",
    "Compute",
    "Databases",
    "Developer Tools",
    "Multicloud",
    "Identity",
    "Integration",
    "Internet of Things",
    "Management and Governance",
    "Media",
    "Migration",
    "Mobile",
    "Networking",
    "Security",
    "Storage",
    "Web",
    "Other",
)
COMMITMENT_CATEGORIES = ("Spend", "Usage")
COMMITMENT_STATUSES = ("Used", "Unused")
#: Decimal columns: kept as their text (exact).
DECIMAL_COLUMNS = (
    "BilledCost",
    "EffectiveCost",
    "ListCost",
    "ContractedCost",
    "ListUnitPrice",
    "ContractedUnitPrice",
    "PricingQuantity",
    "ConsumedQuantity",
)
TIME_COLUMNS = ("ChargePeriodStart", "ChargePeriodEnd", "BillingPeriodStart", "BillingPeriodEnd")
#: Columns FOCUS 1.1 added [3]_; the kit reads none of them: kept as their text.
FOCUS_1_1_COLUMNS = (
    "CapacityReservationId",
    "CapacityReservationStatus",
    "CommitmentDiscountQuantity",
    "CommitmentDiscountUnit",
    "ServiceSubcategory",
    "SkuMeter",
    "SkuPriceDetails",
)
#: Columns FOCUS 1.2 added [4]_; kept as their text, as the 1.1 ones.
FOCUS_1_2_COLUMNS = (
    "BillingAccountType",
    "SubAccountType",
    "InvoiceId",
    "PricingCurrency",
    "PricingCurrencyContractedUnitPrice",
    "PricingCurrencyEffectiveCost",
    "PricingCurrencyListUnitPrice",
)
#: Alibaba's documented deviations [2]: column -> what Alibaba's export does.
ALIBABA_DEVIATIONS = {
    "ChargeDescription": "always null",
    "ConsumedQuantity": "always null (FOCUS: not null for Usage rows)",
    "ConsumedUnit": "always null (FOCUS: not null for Usage rows)",
    "ContractedCost": "always null (FOCUS: MUST NOT be null)",
    "ContractedUnitPrice": "always null (FOCUS: not null for Usage and Purchase rows)",
    "ListUnitPrice": "null in some scenarios (FOCUS: not null for Usage and Purchase rows)",
    "PricingUnit": "null in some scenarios (FOCUS: not null for Usage and Purchase rows)",
}
#: A FOCUS decimal: the kit's decimal text with an optional exponent (FOCUS allows E-notation).
_DECIMAL = rf"{DECIMAL}(?:[eE][-+]?[0-9]+)?"
_UNSIGNED = rf"(?!-){_DECIMAL}"
_TIME_UNITS = "(Year|Month|Week|Day|Hour|Minute|Second)s?"
#: FOCUS unit format: "Nodes", "Node-Minutes", "GB-Hours", "Requests/Second", "1000 Tokens".
UNIT_PATTERN = rf"([0-9]+ )?[A-Za-z][A-Za-z ]*(-{_TIME_UNITS}|/{_TIME_UNITS})?"
_USAGE_OR_PURCHASE = ("Usage", "Purchase")


def focus_version(columns: Any) -> str:
    """The FOCUS version of a table, from its columns: the latest whose added columns it has.

    FOCUS 1.0 to 1.2 carry no version column (the spec's metadata, where the version is
    stated, is not part of the rows), so a table is 1.2 when it has a column 1.2 added,
    else 1.1 when it has one 1.1 added, else 1.0.

    >>> focus_version(["BilledCost", "SkuMeter"]), focus_version(["InvoiceId"])
    ('1.1', '1.2')
    """
    names = set(columns)
    if names & set(FOCUS_1_2_COLUMNS):
        return "1.2"
    if names & set(FOCUS_1_1_COLUMNS):
        return "1.1"
    return FOCUS_VERSION


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


class FocusSchema(pa.DataFrameModel):
    """FOCUS 1.0 rows: the mandatory columns (required), the others optional."""

    BilledCost: Series[str]
    EffectiveCost: Series[str]
    ListCost: Series[str]
    ContractedCost: Series[str]
    ListUnitPrice: Series[str] | None = pa.Field(nullable=True)
    ContractedUnitPrice: Series[str] | None = pa.Field(nullable=True)
    PricingQuantity: Series[str] = pa.Field(nullable=True)
    PricingUnit: Series[str] = pa.Field(nullable=True)
    ConsumedQuantity: Series[str] | None = pa.Field(nullable=True)
    ConsumedUnit: Series[str] | None = pa.Field(nullable=True)
    ChargePeriodStart: Series[pd.Timestamp]
    ChargePeriodEnd: Series[pd.Timestamp]
    BillingPeriodStart: Series[pd.Timestamp]
    BillingPeriodEnd: Series[pd.Timestamp]
    ChargeCategory: Series[str]
    ChargeClass: Series[str] = pa.Field(nullable=True)
    ChargeFrequency: Series[str] | None = pa.Field(nullable=True)
    PricingCategory: Series[str] | None = pa.Field(nullable=True)
    CommitmentDiscountId: Series[str] | None = pa.Field(nullable=True)
    CommitmentDiscountName: Series[str] | None = pa.Field(nullable=True)
    CommitmentDiscountType: Series[str] | None = pa.Field(nullable=True)
    CommitmentDiscountCategory: Series[str] | None = pa.Field(nullable=True)
    CommitmentDiscountStatus: Series[str] | None = pa.Field(nullable=True)
    ResourceId: Series[str] | None = pa.Field(nullable=True)
    ResourceName: Series[str] | None = pa.Field(nullable=True)
    ResourceType: Series[str] | None = pa.Field(nullable=True)
    SkuId: Series[str] | None = pa.Field(nullable=True)
    SkuPriceId: Series[str] | None = pa.Field(nullable=True)
    RegionId: Series[str] | None = pa.Field(nullable=True)
    RegionName: Series[str] | None = pa.Field(nullable=True)
    AvailabilityZone: Series[str] | None = pa.Field(nullable=True)
    ServiceName: Series[str]
    ServiceCategory: Series[str]
    ProviderName: Series[str]
    PublisherName: Series[str]
    InvoiceIssuerName: Series[str]
    BillingAccountId: Series[str]
    BillingAccountName: Series[str] = pa.Field(nullable=True)
    SubAccountId: Series[str] | None = pa.Field(nullable=True)
    SubAccountName: Series[str] | None = pa.Field(nullable=True)
    BillingCurrency: Series[str]
    Tags: Series[str] | None = pa.Field(nullable=True)
    ChargeDescription: Series[str] = pa.Field(nullable=True)

    @pa.check(
        "BilledCost",
        "EffectiveCost",
        "ListCost",
        "ContractedCost",
        "PricingQuantity",
        "ConsumedQuantity",
        error="not a decimal number (digits, an optional point and exponent; no units)",
    )
    def _decimal(cls, values: pd.Series) -> pd.Series:
        return values.str.fullmatch(_DECIMAL)

    @pa.check(
        *DECIMAL_COLUMNS,
        error="beyond any finite number (its exponent overflows a double, e.g. 1e400)",
    )
    def _finite(cls, values: pd.Series) -> pd.Series:
        # the text is exact, but every sum and bill of it would be infinite; text that is
        # not a decimal at all is reported by the checks above, not twice
        number = pd.to_numeric(values.where(values.str.fullmatch(_DECIMAL)), errors="coerce")
        return number.isna() | np.isfinite(number.astype("float64"))

    @pa.check("ListUnitPrice", "ContractedUnitPrice", error="not a decimal number of at least 0")
    def _unit_price(cls, values: pd.Series) -> pd.Series:
        return values.str.fullmatch(_UNSIGNED)

    @pa.check("PricingUnit", "ConsumedUnit", error="not a FOCUS unit (e.g. Node-Minutes)")
    def _unit(cls, values: pd.Series) -> pd.Series:
        return values.str.fullmatch(UNIT_PATTERN)

    @pa.check("ChargeCategory", error=f"not a charge category ({', '.join(CHARGE_CATEGORIES)})")
    def _charge_category(cls, values: pd.Series) -> pd.Series:
        return values.isin(CHARGE_CATEGORIES)

    @pa.check("ChargeClass", error="not a charge class (Correction, or empty)")
    def _charge_class(cls, values: pd.Series) -> pd.Series:
        return values == "Correction"

    @pa.check("ChargeFrequency", error=f"not a charge frequency ({', '.join(CHARGE_FREQUENCIES)})")
    def _charge_frequency(cls, values: pd.Series) -> pd.Series:
        return values.isin(CHARGE_FREQUENCIES)

    @pa.check("PricingCategory", error=f"not a pricing category ({', '.join(PRICING_CATEGORIES)})")
    def _pricing_category(cls, values: pd.Series) -> pd.Series:
        return values.isin(PRICING_CATEGORIES)

    @pa.check("ServiceCategory", error="not a FOCUS service category (e.g. Compute)")
    def _service_category(cls, values: pd.Series) -> pd.Series:
        return values.isin(SERVICE_CATEGORIES)

    @pa.check("CommitmentDiscountCategory", error="not a commitment category (Spend or Usage)")
    def _commitment_category(cls, values: pd.Series) -> pd.Series:
        return values.isin(COMMITMENT_CATEGORIES)

    @pa.check("CommitmentDiscountStatus", error="not a commitment status (Used or Unused)")
    def _commitment_status(cls, values: pd.Series) -> pd.Series:
        return values.isin(COMMITMENT_STATUSES)

    @pa.check("BillingCurrency", error="not an ISO 4217 currency code such as USD")
    def _currency(cls, values: pd.Series) -> pd.Series:
        return values.str.fullmatch(r"[A-Z]{3}")

    @pa.check("Tags", error="not a JSON object of key-value pairs")
    def _tags(cls, values: pd.Series) -> pd.Series:
        return values.map(_is_json_object).astype(bool)

    @row_check("ChargePeriodEnd", "not after ChargePeriodStart (the end is exclusive)")
    def _charge_period(cls, df: pd.DataFrame) -> pd.Series:
        return ~(df["ChargePeriodEnd"] <= df["ChargePeriodStart"])

    @row_check("BillingPeriodEnd", "not after BillingPeriodStart (the end is exclusive)")
    def _billing_period(cls, df: pd.DataFrame) -> pd.Series:
        return ~(df["BillingPeriodEnd"] <= df["BillingPeriodStart"])

    @row_check("PricingQuantity", "empty on a Usage or Purchase row; give the quantity priced")
    def _quantity_given(cls, df: pd.DataFrame) -> pd.Series:
        return ~df["ChargeCategory"].isin(_USAGE_OR_PURCHASE) | df["PricingQuantity"].notna()

    @row_check("PricingUnit", "empty on a Usage or Purchase row; give the unit priced")
    def _unit_given(cls, df: pd.DataFrame) -> pd.Series:
        return _given(cls, df, "PricingUnit", _USAGE_OR_PURCHASE)

    @row_check("PricingQuantity", "given on a Tax row; Tax rows have no pricing quantity")
    def _no_tax_quantity(cls, df: pd.DataFrame) -> pd.Series:
        return (df["ChargeCategory"] != "Tax") | df["PricingQuantity"].isna()

    @row_check(
        "ListUnitPrice", "empty on a Usage or Purchase row that is not a Correction; give the price"
    )
    def _list_price_given(cls, df: pd.DataFrame) -> pd.Series:
        return _given(cls, df, "ListUnitPrice", _USAGE_OR_PURCHASE, corrections=False)

    @row_check("ContractedUnitPrice", "empty on a Usage or Purchase row that is not a Correction")
    def _contracted_price_given(cls, df: pd.DataFrame) -> pd.Series:
        return _given(cls, df, "ContractedUnitPrice", _USAGE_OR_PURCHASE, corrections=False)

    @row_check(
        "ConsumedQuantity", "empty on a Usage row that is not a Correction; give the quantity used"
    )
    def _consumed_given(cls, df: pd.DataFrame) -> pd.Series:
        return _given(cls, df, "ConsumedQuantity", ("Usage",), corrections=False)

    @row_check("ConsumedUnit", "empty on a Usage row that is not a Correction; give its unit")
    def _consumed_unit_given(cls, df: pd.DataFrame) -> pd.Series:
        return _given(cls, df, "ConsumedUnit", ("Usage",), corrections=False)

    @row_check("ConsumedQuantity", "given on a row that is not Usage; only Usage is consumed")
    def _consumed_only_usage(cls, df: pd.DataFrame) -> pd.Series:
        return (df["ChargeCategory"] == "Usage") | df["ConsumedQuantity"].isna()

    @row_check(
        "PricingCategory",
        "Committed exactly when CommitmentDiscountId is given (and not otherwise)",
    )
    def _committed(cls, df: pd.DataFrame) -> pd.Series:
        committed = df["PricingCategory"] == "Committed"
        return committed.fillna(False) == df["CommitmentDiscountId"].notna()

    @row_check("CommitmentDiscountType", "given exactly when CommitmentDiscountId is given")
    def _commitment_type(cls, df: pd.DataFrame) -> pd.Series:
        return df["CommitmentDiscountType"].notna() == df["CommitmentDiscountId"].notna()

    @row_check(
        "CommitmentDiscountStatus",
        "empty on a Usage row with a CommitmentDiscountId; say Used or Unused",
    )
    def _commitment_status_given(cls, df: pd.DataFrame) -> pd.Series:
        with_id = df["CommitmentDiscountId"].notna() & (df["ChargeCategory"] == "Usage")
        return ~with_id | df["CommitmentDiscountStatus"].notna()

    @row_check("ChargeFrequency", "Usage-Based on a Purchase row; a purchase is not usage")
    def _purchase_frequency(cls, df: pd.DataFrame) -> pd.Series:
        return ~((df["ChargeCategory"] == "Purchase") & (df["ChargeFrequency"] == "Usage-Based"))


def _given(
    model: type[FocusSchema],
    df: pd.DataFrame,
    column: str,
    categories: tuple[str, ...],
    *,
    corrections: bool = True,
) -> pd.Series:
    """True where ``column`` is given or need not be (its rule relaxed for ``model``)."""
    metadata = getattr(model.Config, "metadata", None) or {}
    if column in metadata.get("relaxed", ()):
        return pd.Series(True, index=df.index)
    needed = df["ChargeCategory"].isin(categories)
    if not corrections:
        needed &= df["ChargeClass"].isna()
    return ~needed | df[column].notna()


class AlibabaFocusSchema(FocusSchema):
    """A FOCUS export as the kit reads it: FOCUS 1.0 with Alibaba Cloud's documented
    deviations (:data:`ALIBABA_DEVIATIONS`) allowed (the reader lists those it meets), the
    columns FOCUS 1.1 and 1.2 added kept as their text, and any other column kept with
    one warning naming them all."""

    ContractedCost: Series[str] = pa.Field(nullable=True)

    class Config:
        #: ``relaxed``: columns whose FOCUS rules the provider is known not to follow;
        #: ``kept``: columns read as text, unchecked; ``unknown``: other columns kept.
        metadata: ClassVar = {
            "relaxed": frozenset(ALIBABA_DEVIATIONS),
            "kept": FOCUS_1_1_COLUMNS + FOCUS_1_2_COLUMNS,
            "unknown": "keep",
        }
