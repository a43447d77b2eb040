"""Names the generator takes for itself, and names no file system should be given.

Input: a slug or an id. Output: what is wrong with it as a file name, or None. A page's slug is
a folder of every language tree (/<key>/<slug>/), beside the generator's own sections; ids and
slugs are folder names, which Windows refuses for its device names, and which a long title makes
longer than a file system takes once a suffix is added.
"""

from __future__ import annotations

# Every name the generator writes at the top of the output or of a language tree (/<key>/NAME),
# and the ones it keeps for sections to come. README lists them; tests check every written name.
RESERVED_SLUGS = frozenset({
    "404", "assets", "events", "exports", "feed", "index", "page", "pagefind", "people", "robots",
    "search", "sitemap", "speeches", "tags", "terms", "theme", "timeline", "years",
})
WINDOWS_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                           *(f"lpt{i}" for i in range(10))})
MAX_LENGTH = 100  # characters; exports add a suffix, and file names stop at 255 bytes


def name_problem(name: str) -> str | None:
    """Why `name` (already a valid id) cannot be a file or folder name ("is …"), or None."""
    if name in WINDOWS_NAMES:
        return "is a device name on Windows, where the site could not be checked out"
    if len(name) > MAX_LENGTH:
        return f"is {len(name)} characters long; at most {MAX_LENGTH} make a file name on every system"
    return None


def shown(name: str) -> str:
    """A name as a message quotes it: a long one cut."""
    return f"`{name[:24]}…`" if len(name) > MAX_LENGTH else f"`{name}`"
