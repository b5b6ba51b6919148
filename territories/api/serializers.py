from core.api import ReferenceSerializer
from territories.models import Audience


class AudienceSerializer(ReferenceSerializer):
    class Meta(ReferenceSerializer.Meta):
        model = Audience
        fields = [*ReferenceSerializer.Meta.fields, "sphere", "is_internal", "position"]
