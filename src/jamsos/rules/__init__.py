"""Regulation engine for BPJS Ketenagakerjaan contributions and benefits.

Pure Python (stdlib + polars for batch runs); no Django import anywhere in this package.
Every regulatory figure lives in dated TOML files under ``data/`` (see docs/rules.md).
"""

from . import bounds
from .batch import contributions_batch
from .contributions import ContributionFacts, compute_contributions, contribution_facts
from .engine import EVENTS, compute_benefit
from .model import CaseFacts, Child, InputError, Item, Result
from .params import DataError, MissingParameterError, ParameterSet, default_parameters

__all__ = [
    "EVENTS",
    "CaseFacts",
    "Child",
    "ContributionFacts",
    "DataError",
    "InputError",
    "Item",
    "MissingParameterError",
    "ParameterSet",
    "Result",
    "bounds",
    "compute_benefit",
    "compute_contributions",
    "contribution_facts",
    "contributions_batch",
    "default_parameters",
]
