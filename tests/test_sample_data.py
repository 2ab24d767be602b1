"""The sample data stands for real studios: no studio shows another studio's pictures."""
from __future__ import annotations

import hashlib
from collections import defaultdict

from conftest import REPO


def test_no_two_studios_share_a_photo():
    owners: dict[str, set[str]] = defaultdict(set)
    for photo in (REPO / "studios").glob("*/media/*"):
        if photo.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp"):
            owners[hashlib.sha256(photo.read_bytes()).hexdigest()].add(photo.parent.parent.name)
    assert owners, "the sample has no photos"
    shared = [sorted(studios) for studios in owners.values() if len(studios) > 1]
    assert not shared, f"studios showing the same picture: {shared}"
