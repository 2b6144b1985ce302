"""Identities from linked pairs: the connected components of the match graph.

Both engines hand their matching pairs here, so DuckDB and Spark runs cluster
by the same code and name clusters the same way. Pairs and ids stay in Arrow
and NumPy arrays; igraph finds the components, which on a million records
takes a second where Python objects per record would take minutes.
"""

from __future__ import annotations

from typing import Any

__all__ = ["connected_clusters"]


def connected_clusters(ids: Any, left: Any, right: Any) -> Any:
    """The cluster id of each of `ids`: the smallest record id in its component.

    `ids` is an Arrow array of distinct record ids; `left` and `right` are Arrow
    arrays holding the two records of each matching pair. A record in no pair
    is its own cluster. Naming a cluster by its smallest member makes the
    answer independent of the order pairs arrive in.
    """
    import igraph
    import numpy as np
    import pyarrow as pa  # type: ignore[import-untyped]  # no stubs published
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    ids = pa.array(ids, type=pa.string()) if not isinstance(ids, pa.Array) else ids
    n = len(ids)
    left_index = pc.index_in(left, value_set=ids).to_numpy(zero_copy_only=False)
    right_index = pc.index_in(right, value_set=ids).to_numpy(zero_copy_only=False)
    if len(left_index) and (np.isnan(left_index).any() or np.isnan(right_index).any()):
        raise ValueError("a pair names a record that is not among the ids")
    edges = np.column_stack([left_index, right_index]).astype(np.int64)
    graph = igraph.Graph(n=n, edges=edges.tolist())
    membership = pa.array(graph.connected_components().membership, type=pa.int64())
    members = pa.table({"component": membership, "record": ids})
    smallest = members.group_by("component").aggregate([("record", "min")])
    where = pc.index_in(membership, value_set=smallest.column("component"))
    return pc.take(smallest.column("record_min"), where)
