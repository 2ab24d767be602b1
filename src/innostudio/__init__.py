"""InnoStudio: the portal of model-worker and outstanding-talent innovation studios (劳模和优秀人才创新工作室).

Pipeline, one way: load → model → rules → render → cli. Nothing here imports MkDocs.
"""
__version__ = "0.1.0"
