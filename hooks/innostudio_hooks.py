"""MkDocs hooks: thin adapters from MkDocs events to the innostudio package.

Everything MkDocs-specific lives here, in mkdocs.yml and in overrides/. The package itself never
imports MkDocs.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError

import innostudio.check
import innostudio.cli
import innostudio.output

log = logging.getLogger("mkdocs.plugins.innostudio")
_state: dict = {}


def on_config(config, **kwargs):
    root = Path(config.config_file_path).resolve().parent
    as_of = innostudio.cli.resolve_as_of(os.environ.get(innostudio.cli.AS_OF_ENV))
    report = innostudio.check.run(root, as_of)
    for f in report.findings:
        line = f"{f.path}:{f.line or 0}:{f.column or 0}: {f.code} {f.message}"
        if f.severity == "error":
            log.error(line)
        elif f.severity == "warning":
            log.warning(line)
        else:
            log.info(line)
    if report.exit_code:
        raise PluginError(f"innostudio check 发现 {report.count('error')} 个错误，站点未生成（运行 innostudio check 查看）")
    _state["report"] = report
    return config
