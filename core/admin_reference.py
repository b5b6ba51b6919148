"""Reference data is read-only in the admin: it changes through data migrations only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["code", "label_en", "label_fr", "is_proposal"]
    search_fields = ["code", "label_en", "label_fr"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
