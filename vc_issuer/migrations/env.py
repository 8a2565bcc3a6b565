"""Alembic's environment script: every run goes through :func:`run_environment`."""

from typing import cast

from alembic import context
from alembic.runtime.environment import EnvironmentContext

from vc_issuer.migrations import run_environment

# Implementation note: ``alembic.context`` is a module that proxies the running
# EnvironmentContext.
run_environment(cast(EnvironmentContext, context))
