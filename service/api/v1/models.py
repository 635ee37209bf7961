"""`/v1/models`: the models a server runs."""

from __future__ import annotations

from .. import doors
from ..dependencies import AppServices
from ..errors import DEPECHE
from .schemas import ModelOut, ModelsResponse

router = doors.router(DEPECHE, prefix="/v1", tags=["depeche"])


@router.get("/models", response_model=ModelsResponse)
async def list_models(services: AppServices) -> ModelsResponse:
    """The models in use, with their revision, engine and compute type."""
    services.require_ready()
    return ModelsResponse(
        models=[
            ModelOut(
                role=role,
                name=pipeline.runtime.source.name,
                revision=pipeline.runtime.source.revision,
                engine=pipeline.runtime.engine.name,
                compute_type=pipeline.runtime.engine.compute_type,
                device=str(pipeline.runtime.context["device"]),
            )
            for role, pipeline in services.pipelines
        ]
    )
