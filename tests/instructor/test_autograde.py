"""grader.instructor.autograde: how the batch is cut into chunks for the workers."""
from grader.instructor.autograde import chunked


def test_chunks_cover_every_submission_once():
    items = list(range(11))
    chunks = chunked(items, 3)
    assert len(chunks) == 3 and sorted(sum(chunks, [])) == items
    assert chunked(items[:1], 4) == [[0]]
    assert chunked([], 2) == []

