"""The domain layer: the facts of a repository at an evaluation date (between ``model``/``corpus`` and
``rules``). Rules judge these facts; renderers, the workbook and the ranking read them."""
