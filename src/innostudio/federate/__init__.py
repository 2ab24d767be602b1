"""The federation's portal (federation.md): ``innostudio federate CONFIG`` reads the open data that member
sites publish and builds one static site over all of them."""
from __future__ import annotations

from .build import Result, federate
from .config import ConfigError, FederationConfig, load_config

__all__ = ["ConfigError", "FederationConfig", "Result", "federate", "load_config"]
