"""Pages of API lists fetched as a "late row lookup": the page's ids first, then their rows.

A list view's queryset joins the rows it shows (``select_related``) and the page adds
``ORDER BY ... LIMIT``. With a LIMIT over a join of many tables, PostgreSQL weighs many more plans
(fast-start ones for every join order): planning the actions list (nine tables) took longer
than running it, ten times over. Asked as ``WHERE id IN (SELECT id ... WHERE <the filters> ORDER BY ... LIMIT n)``, the LIMIT
applies to the listed table alone and the join is planned as a plain one, for the page's rows
only: one query still, the same rows in the same order.

Only for querysets where that is certain: the rows of one table (filters on other tables as
subqueries), ordered by their own columns or forward foreign keys, no DISTINCT, grouping or
annotation. Anything else is paged as Django pages it.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import QuerySet
from django.db.models.sql.where import WhereNode


def _forward_path(model: Any, name: str) -> bool:
    """Whether ordering by ``name`` reads one value per row: a concrete field, maybe through
    forward foreign keys (never a many-to-many or reverse relation, which repeat rows)."""
    if name == "pk":
        return True
    parts = name.split("__")
    for i, part in enumerate(parts):
        try:
            field = model._meta.get_field(part)
        except Exception:  # FieldDoesNotExist, or a name Django resolves another way
            return False
        if not field.concrete or field.many_to_many:
            return False
        if field.is_relation:
            if not (field.many_to_one or field.one_to_one):
                return False
            model = field.related_model
        elif i < len(parts) - 1:  # a transform or lookup after a plain field
            return False
    return True


def unique_rows(queryset: QuerySet[Any]) -> bool:
    """Whether each row of ``queryset`` is one row of its table, in an order of its own columns."""
    query = queryset.query
    if (
        query.distinct
        or query.combinator
        or query.group_by is not None
        or query.annotations
        or query.extra
        or query.extra_order_by
        or query.select_for_update
    ):
        return False
    # Joins made by filters would repeat rows (to-many) or are not worth the analysis.
    if sum(1 for alias in query.alias_map if query.alias_refcount.get(alias)) > 1:
        return False
    ordering = query.order_by or (query.get_meta().ordering or () if query.default_ordering else ())
    for item in ordering:
        if not isinstance(item, str) or item == "?":
            return False
        if not _forward_path(queryset.model, item.lstrip("-")):
            return False
    return True


_ROWS = "_api_row_columns"


def as_rows(
    queryset: QuerySet[Any], columns: list[str], expressions: dict[str, Any] | None = None
) -> QuerySet[Any]:
    """``queryset``, marked so that :class:`LateRowPaginator` reads its page as
    ``values(*columns, **expressions)`` (no model instances, no prefetch). Marked rather than
    turned into values() here: the page's ids are chosen on the queryset without the joins of
    the columns."""
    setattr(queryset, _ROWS, (list(columns), dict(expressions or {})))
    return queryset


class LateRowPaginator(DjangoPaginator):
    """A Django paginator whose pages of a queryset are ``WHERE pk IN (the page's pks)``."""

    def _get_page(self, object_list: Any, number: int, paginator: Any) -> Page:
        if isinstance(object_list, QuerySet) and object_list.query.is_sliced:
            low, high = object_list.query.low_mark, object_list.query.high_mark
            whole = object_list._chain()  # type: ignore[attr-defined]
            whole.query.clear_limits()
            if unique_rows(whole):
                ids = whole.values("pk")[low:high]
                # The ids carry the filters (the workspace's scope among them): the rows are
                # these ids, so the outer query joins what it shows for a hundred rows, not for
                # every row the filters would let through before the ids narrow them.
                rows = whole._chain()  # type: ignore[attr-defined]
                rows.query.where = WhereNode()
                object_list = rows.filter(pk__in=ids)
        rows = getattr(self.object_list, _ROWS, None)
        if rows is not None and isinstance(object_list, QuerySet):
            columns, expressions = rows
            object_list = object_list.prefetch_related(None).values(*columns, **expressions)
        return super()._get_page(object_list, number, paginator)  # type: ignore[misc]
