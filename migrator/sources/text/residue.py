"""Image residue: what is left of an image when a page is copied as text.

A browser puts an image's alt text (or its file name, or w3m's ``[name]`` placeholder) on a
line of its own, or glues it to the end of the line before.  These lines are not prose; the
reader records them (``images:`` in front matter, the line in the manifest) instead.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lines import normalise
from .lines import words as split_words

_FILE_WORDS = {
    "blog",
    "img",
    "image",
    "images",
    "photo",
    "photos",
    "pic",
    "pics",
    "picture",
    "screenshot",
    "screen",
    "shot",
    "dsc",
    "banner",
    "logo",
    "header",
    "featured",
    "asset",
    "assets",
    "table",
    "chart",
    "graphic",
    "infographic",
    "slide",
    "slides",
    "fig",
    "figure",
    "diagram",
    "thumbnail",
    "thumb",
    "final",
    "copy",
    "draft",
    "jpg",
    "png",
}
_STRONG_RESIDUE_RES = [
    re.compile(r"\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|heic|avif)\b", re.I),  # file extension
    re.compile(r"\b[A-Za-z]{2,}\.\d{2,}\b"),  # Keynote/PowerPoint export: "Table.001"
    re.compile(r"\b(?:IMG|DSC[NF]?|PXL|GOPR|MVIMG|VID|PANO|Photo|Image)[_-]?\d{3,}", re.I),  # camera names
    re.compile(r"\bscreen ?shot[ _-]?\d{4}[-_]\d\d", re.I),  # "Screen Shot 2015-03-01 at ..."
    re.compile(r"\b[A-Za-z0-9]+_[A-Za-z0-9_]+\b"),  # under_scored file names
    re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+){2,}$"),  # hyphenated-file-name
]
_RESIDUE_END_OK = re.compile(r"[\w)\]]$")


_PLACEHOLDER_RE = re.compile(r"^\[[^\[\]\s]{1,60}\]$")  # w3m: an image without alt text


@lru_cache(maxsize=16384)
def is_residue(norm: str, isolated: bool = True) -> bool:
    """Does this line look like an image's alt text or file name rather than prose?

    Signals, each on a short line without sentence punctuation: a file-name token (extension,
    "Table.001", camera names, under_scores); a line made only of lower-case words and digits
    ("blog assets 2"); a file word ("blog", "image", "figure") next to a digit or an acronym
    ("Blog LHW", "Figure 2"), or file words only ("Featured Image"); w3m's ``[name]``.
    The weaker signals count only for an ``isolated`` line (blank lines around it): a run of
    short lines is a list whose bullets the copy lost.
    """
    if _PLACEHOLDER_RE.match(norm):
        return True
    words = split_words(norm)
    if not words or len(words) > 8 or not _RESIDUE_END_OK.search(norm):
        return False
    if any(rx.search(norm) for rx in _STRONG_RESIDUE_RES):
        return True
    if re.search(r"[.,;:!?\"“”‘’()–—]", norm) or not isolated:
        return False  # weaker signals only for a line on its own (in a run of short lines: a list)
    if len(words) <= 5 and norm[0].islower() and all(re.fullmatch(r"[a-z0-9-]+", w) for w in words):
        return True
    lower = [w.lower() for w in words]
    if len(words) <= 5 and any(w in _FILE_WORDS for w in lower):
        others = [w for w in words if w.lower() not in _FILE_WORDS]
        return any(w.isdigit() or (w.isupper() and len(w) >= 2) for w in others) or (not others and len(words) >= 2)
    return False


_WORD_RE = re.compile(r"\w*")


def split_glued(text: str, vocab: set[str]) -> tuple[str, str] | None:
    """Split alt text glued to the end of a line: "Introductory Noteblog assets 3".

    The tail must start inside a word, at a lower->upper case change or at a known residue
    word ("blog", or a word of this file's other residue lines), and be residue itself.
    """
    starts = vocab | _FILE_WORDS
    for p in range(1, len(text)):
        before, ch = text[p - 1], text[p]
        if before.isspace() or not ch.isalpha():
            continue
        camel = before.islower() and ch.isupper()
        glued_word = ch.islower() and (before.islower() or before in ".!?")
        if not (camel or glued_word):
            continue
        if glued_word and _WORD_RE.match(text, p).group().lower() not in starts:
            continue
        tail = normalise(text[p:])
        tail_words = tail.lower().split()
        if len(tail_words) > 8:
            continue
        if camel and not any(rx.search(tail) for rx in _STRONG_RESIDUE_RES):
            continue
        if glued_word:
            known = all(w in starts or w.isdigit() for w in tail_words)
            if not (
                known and tail_words[0] in starts and (len(tail_words) >= 2 or any(w.isdigit() for w in tail_words))
            ):
                continue
        head = text[:p].rstrip()
        if head and is_residue(tail):
            return head, text[p:].strip()
    return None
