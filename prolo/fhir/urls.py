"""FHIR R4 under /fhir/ (docs/fhir.md). Operations come before the generic type routes."""

from django.urls import path

from prolo.fhir import bulk, imports, views

app_name = "fhir"

urlpatterns = [
    path("", imports.bundle, name="bundle"),
    path("metadata", views.metadata, name="metadata"),
    path("$export", bulk.export_system, name="export-system"),
    path("Patient/$export", bulk.export_patients, name="export-patients"),
    path("Group/<str:group_id>/$export", bulk.export_group, name="export-group"),
    path("bulk-status/<uuid:code>", bulk.status, name="bulk-status"),
    path("bulk-files/<uuid:code>/<str:name>", bulk.output_file, name="bulk-file"),
    path("Patient/<str:resource_id>/$everything", bulk.everything, name="everything"),
    path("<str:resource_type>", views.type_endpoint, name="type"),
    path("<str:resource_type>/<str:resource_id>", views.instance, name="instance"),
]
