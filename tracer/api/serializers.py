from core.api import ReferenceSerializer
from tracer.models import TracerStage


class TracerStageSerializer(ReferenceSerializer):
    class Meta(ReferenceSerializer.Meta):
        model = TracerStage
        fields = [*ReferenceSerializer.Meta.fields, "letter", "alias_en", "alias_fr", "position"]
