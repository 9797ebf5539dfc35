"""dossier: print the Chaire's numbered "Dossier spécial" from a YAML manifest."""

__version__ = "0.1.0"
