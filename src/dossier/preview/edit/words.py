"""What the editing view says, in the run's language (the catalog): edit.js holds no text of its own."""

from __future__ import annotations

from ...i18n import _


def editor_words() -> dict[str, object]:
    return {
        "pageTitle": _("Editing the numéro · dossier preview"),
        "heading": _("Edit the numéro"),
        "save": _("Save"), "saved": _("Saved."), "savedMerged": _("Saved, merged with the change made on disk."),
        "saving": _("Saving…"), "unsaved": _("Unsaved changes"), "draft": _("See the draft"),
        "add": {
            "practices": _("Add a theme"), "initiatives": _("Add an initiative"), "resources": _("Add a resource"),
            "readings": _("Add a reading theme"), "articles": _("Add an article"), "back_issues": _("Add a (Re)lire entry"),
            "porteurs": _("Add a porteur"), "other": _("Add an entry"),
        },
        "duplicate": _("Duplicate"), "delete": _("Delete"), "moveUp": _("Move up"), "moveDown": _("Move down"),
        "moveTo": _("Move to theme"), "moveTarget": _("Theme to move it to"), "deleted": _("Deleted."), "undo": _("Undo"),
        "entry": _("Entry {number}"), "theme": _("Theme {number}"), "initiative": _("Initiative {number}"),
        "noValue": _("(none)"), "upload": _("Choose a photo…"), "uploading": _("Sending the photo…"),
        "uploaded": _("Photo {name}: {width}×{height} pixels, sharp in print up to {w}×{h} mm."),
        "describe": _("Describe the photo for readers who cannot see it:"),
        "markdownHelp": _("Formatting: *italics*, **bold**, [link text](https://…); an empty line starts a paragraph."),
        "problems": _("To fix before printing"), "remarks": _("Remarks from dossier check"),
        "checking": _("Checking…"), "noProblems": _("No errors: the numéro validates."),
        "conflict": _("The file was changed on disk (in a text editor?) in the same lines: nothing was written. "
                      "Both versions are below."),
        "yours": _("Your version (kept in the history)"), "theirs": _("The file on disk"),
        "reload": _("Load the file on disk (your changes stay in the history)"),
        "keepMine": _("Save my version over it (the file on disk goes to the history)"),
        "history": _("Earlier versions"), "restore": _("Restore"), "refused": _("not saved"),
        "notInForm": _("Edited in the YAML file only: {fields}."),
        "required": _("required"), "error": _("Error:"), "yes": _("yes"),
    }
