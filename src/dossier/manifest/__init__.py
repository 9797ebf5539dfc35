"""What a numéro says: its YAML read with lines, the model that validates it, its schema and typography.

Invariant: nothing outside this package reads a manifest or publication.yaml; everything else
receives a validated ``Issue`` whose text is already typeset and whose image paths are
project-relative files that exist.
"""

from .load import FieldPath, Location, load_issue, load_issue_with_lines, load_publication, locate
from .model import Issue, Publication

__all__ = [
    "FieldPath",
    "Issue",
    "Location",
    "Publication",
    "load_issue",
    "load_issue_with_lines",
    "load_publication",
    "locate",
]
