"""Fixtures shared by the unit tests."""

import pytest
from course_factory import make_course


@pytest.fixture
def course():
    """Factory for hand-made CourseData: course({food_id: {...}}, intakes=..., claims=...)."""
    return make_course
