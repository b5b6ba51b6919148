from django.contrib import admin

from core.admin_reference import ReferenceAdmin
from territories.models import Audience, Cycle, Project, Territory

admin.site.register(Audience, ReferenceAdmin)


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "workspace", "parent", "archived_at"]
    list_filter = ["kind"]
    search_fields = ["name"]


class CycleInline(admin.TabularInline):
    model = Cycle
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "territory", "workspace", "status", "start_date", "archived_at"]
    list_filter = ["status"]
    search_fields = ["name"]
    inlines = [CycleInline]
