# depeche: French-to-English translation and summaries over HTTP.
#   docker build -t depeche .                      models from the Hugging Face Hub (manifest revisions)
#   docker build --build-arg MODELS=path/in/context --build-arg OFFLINE=1 -t depeche .
#                                                  air-gapped: a models folder made by `depeche models
#                                                  pull` elsewhere, or Hugging Face folders in it
# The build stage has torch to convert the models to CTranslate2; the runtime stage serves from the
# conversions and carries neither torch nor the PyTorch weights of Hub models.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# torch only converts; its CPU build is enough. Wheels put in container/wheels/ are used first.
ARG TORCH_VERSION=2.13.0
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
COPY container/wheels/ /wheels/
RUN python -m venv /opt/build \
 && /opt/build/bin/pip install --find-links /wheels --extra-index-url "$TORCH_INDEX_URL" \
        "torch==$TORCH_VERSION"
WORKDIR /src
COPY pyproject.toml README.md ./
COPY service ./service
RUN /opt/build/bin/pip install . && /opt/build/bin/pip wheel --no-deps . -w /dist

ARG MODELS=container/models
ARG TRANSLATION_MODEL=Helsinki-NLP/opus-mt-fr-en
ARG SUMMARIZATION_MODEL=sshleifer/distilbart-cnn-12-6
ARG OFFLINE=0
ENV DEPECHE_MODELS_DIR=/opt/depeche/models \
    DEPECHE_TRANSLATION_MODEL=$TRANSLATION_MODEL \
    DEPECHE_SUMMARIZATION_MODEL=$SUMMARIZATION_MODEL \
    DEPECHE_OFFLINE=$OFFLINE
COPY ${MODELS}/ /opt/depeche/models/
# Files from the build context keep their modes: make the models readable by the runtime's user.
RUN /opt/build/bin/depeche models pull --drop-weights --compute-type int8 --compute-type float16 \
 && rm -rf /opt/depeche/models/README.md /opt/depeche/models/hub/.locks \
 && chmod -R a+rX /opt/depeche

FROM python:3.11-slim
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=build /dist/ /dist/
RUN pip install /dist/*.whl && rm -rf /dist \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/depeche --create-home depeche
COPY --from=build /opt/depeche/ /opt/depeche/
ARG TRANSLATION_MODEL=Helsinki-NLP/opus-mt-fr-en
ARG SUMMARIZATION_MODEL=sshleifer/distilbart-cnn-12-6
ENV DEPECHE_MODELS_DIR=/opt/depeche/models \
    DEPECHE_DATA_DIR=/var/lib/depeche \
    DEPECHE_TRANSLATION_MODEL=$TRANSLATION_MODEL \
    DEPECHE_SUMMARIZATION_MODEL=$SUMMARIZATION_MODEL \
    DEPECHE_OFFLINE=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_VERBOSITY=error \
    DEPECHE_HOST=0.0.0.0 \
    DEPECHE_PORT=8000
USER depeche
WORKDIR /var/lib/depeche
VOLUME /var/lib/depeche
EXPOSE 8000
# python:slim has no curl; the check reads the port the server was given.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ.get('DEPECHE_PORT', '8000'), timeout=4)"
CMD ["depeche", "serve"]
