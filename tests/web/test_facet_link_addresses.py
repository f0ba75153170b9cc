"""A facet's links are made with the rest of the address encoded once (SearchState.adding):
each must be exactly the address href() gives for that filter added."""

from __future__ import annotations

from itertools import combinations

from konfarkiv.web.browse import FILTERS, SORTS, SearchState

VALUES = ["2019", "SKR & Co", "a=b", "Örjan Öberg", "x/y?z#w", " ", "100%"]


def test_facet_link_is_the_address_with_its_filter_added() -> None:
    for sort in SORTS:
        for k in range(len(FILTERS)):
            for chosen in combinations(FILTERS, k):
                state = SearchState('miljö "a&b" +c', 3, sort,
                                    {c: VALUES[i] for i, c in enumerate(chosen)})
                for param in FILTERS:
                    if param in chosen:
                        continue  # a filter in force is a chip, not a facet link
                    link = state.adding(param)
                    for value in VALUES:
                        assert link(value) == state.href(filters={param: value})
