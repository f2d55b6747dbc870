"""Formats of the interface's language that differ from Django's (FORMAT_MODULE_PATH).

The first input format is also the one a form *renders* a value in. Django's zh_Hans puts
"2016/09/05" first, which `<input type="date">` rejects, so an edit form would show its saved
date empty and a save would wipe it. ISO 8601 comes first here; the others are still accepted.
"""
