"""``python -m dossier``: the same CLI as the ``dossier`` command."""

from .cli import main

if __name__ == "__main__":
    main()
