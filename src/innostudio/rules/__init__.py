"""The rules. The catalogue is :data:`innostudio.rules.registry.RULES`; the modules that implement rules are
listed there (``IMPLEMENTATIONS``), and this package imports none of them by itself."""
