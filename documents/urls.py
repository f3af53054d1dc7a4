from django.urls import path, re_path

from . import (
    budget_import_views,
    budget_views,
    comment_views,
    compilation,
    followup_views,
    goal_views,
    history_views,
    invoicing_views,
    plan_pdf,
    review_views,
    version_views,
    views,
)

app_name = "documents"

# Plan routes (documents/views.py) and review-round routes (documents/review_views.py) are listed below.
urlpatterns: list = [
    # Plan routes.
    path("forvaltningsplaner/", views.plan_list, name="plan_list"),
    path("forvaltningsplaner/ny/", views.plan_create, name="plan_create"),
    path("forvaltningsplaner/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("forvaltningsplaner/<int:pk>/historik/", history_views.plan_history, name="plan_history"),
    path("forvaltningsplaner/<int:pk>/lamna-in/", views.plan_submit, name="plan_submit"),
    path("forvaltningsplaner/<int:pk>/stallningstagande/", views.plan_record_position, name="plan_record_position"),
    path("forvaltningsplaner/<int:pk>/aterremiss/", views.plan_refer_back, name="plan_refer_back"),
    path("forvaltningsplaner/<int:pk>/nasta-ar/", views.plan_start_next, name="plan_start_next"),
    path("forvaltningsplaner/<int:pk>/arkivera/", views.plan_archive, name="plan_archive"),
    path("forvaltningsplaner/<int:pk>/versioner/", version_views.plan_versions, name="plan_versions"),
    path("forvaltningsplaner/<int:pk>/jamfor/", version_views.plan_compare, name="plan_compare"),
    path("forvaltningsplaner/<int:pk>/pdf/", plan_pdf.plan_pdf, name="plan_pdf"),
    path("forvaltningsplaner/<int:pk>/mal/nytt/", goal_views.goal_create, name="goal_create"),
    path("forvaltningsplaner/<int:pk>/budget/ny-rad/", budget_views.budget_line_create, name="budget_line_create"),
    path("forvaltningsplaner/<int:pk>/budget/beslut/", budget_views.budget_decide, name="budget_decide"),
    path("forvaltningsplaner/<int:pk>/budget/upprakning/", budget_views.budget_uplift, name="budget_uplift"),
    path("forvaltningsplaner/budgetrader/<int:pk>/andra/", budget_views.budget_line_edit, name="budget_line_edit"),
    path(
        "forvaltningsplaner/budgetrader/<int:pk>/ta-bort/", budget_views.budget_line_delete, name="budget_line_delete"
    ),
    # Budget import (issue 11, item 2).
    path("forvaltningsplaner/<int:pk>/budget/importera/", budget_import_views.budget_import, name="budget_import"),
    path("forvaltningsplaner/avsnitt/<int:pk>/andra/", views.section_edit, name="section_edit"),
    path("forvaltningsplaner/mal/<int:pk>/andra/", goal_views.goal_edit, name="goal_edit"),
    path("forvaltningsplaner/mal/<int:pk>/ta-bort/", goal_views.goal_delete, name="goal_delete"),
    path("forvaltningsplaner/mal/<int:pk>/uppfoljning/", goal_views.goal_follow_up, name="goal_follow_up"),
    # Invoicing plan, invoicing basis and reconciliation (issue 11, item 6: documents/invoicing_views.py).
    path(
        "forvaltningsplaner/<int:pk>/budget/faktureringsplan/",
        invoicing_views.invoicing_plan_edit,
        name="invoicing_plan_edit",
    ),
    path(
        "forvaltningsplaner/<int:pk>/budget/faktureringsunderlag/",
        invoicing_views.invoicing_basis,
        name="invoicing_basis",
    ),
    path(
        "forvaltningsplaner/<int:pk>/budget/faktureringsunderlag.csv",
        invoicing_views.invoicing_basis_csv,
        name="invoicing_basis_csv",
    ),
    path(
        "forvaltningsplaner/<int:pk>/budget/faktureringsunderlag.xlsx",
        invoicing_views.invoicing_basis_xlsx,
        name="invoicing_basis_xlsx",
    ),
    path(
        "forvaltningsplaner/<int:pk>/budget/avstamning/",
        invoicing_views.invoicing_reconciliation,
        name="invoicing_reconciliation",
    ),
    # Review-round routes.
    path("forvaltningsplaner/<int:pk>/remiss/ny/", review_views.round_create, name="round_create"),
    path("remisser/<int:pk>/", review_views.round_detail, name="round_detail"),
    path("remisser/<int:pk>/svar/<slug:subregion>/", review_views.response_edit, name="response_edit"),
    path("remisser/<int:pk>/stang/", review_views.round_close, name="round_close"),
    path("remisser/kommentarer/<int:pk>/andra/", comment_views.comment_edit, name="comment_edit"),
    path("remisser/kommentarer/<int:pk>/aterkalla/", comment_views.comment_withdraw, name="comment_withdraw"),
    path("remisser/<int:pk>/sammanstallning.pdf", compilation.round_compilation, name="round_compilation"),
    # Budget follow-up (issue 11 item 7, documents/followup_views.py).
    path("forvaltningsplaner/<int:pk>/budget/uppfoljning/", followup_views.budget_followup, name="budget_followup"),
    re_path(
        r"^forvaltningsplaner/(?P<pk>[0-9]+)/budget/utfall/kvartal-(?P<quarter>[1-4])/$",
        followup_views.outcome_edit,
        name="outcome_edit",
    ),
    path("forvaltningsplaner/<int:pk>/budget/utfall/importera/", followup_views.outcome_import, name="outcome_import"),
    re_path(
        r"^forvaltningsplaner/(?P<pk>[0-9]+)/budget/kvartalsrapport/(?P<quarter>[1-4])/$",
        followup_views.report_edit,
        name="quarterly_report",
    ),
    re_path(
        r"^forvaltningsplaner/(?P<pk>[0-9]+)/budget/kvartalsrapport/(?P<quarter>[1-4])/utfarda/$",
        followup_views.report_issue,
        name="quarterly_report_issue",
    ),
    re_path(
        r"^forvaltningsplaner/(?P<pk>[0-9]+)/budget/kvartalsrapport/(?P<quarter>[1-4])/rapport\.pdf$",
        followup_views.report_pdf,
        name="quarterly_report_pdf",
    ),
]

# Governing documents (issue 13): documents/governing_views.py
from . import governing_consultation_views, governing_import_views, governing_views  # noqa: E402

urlpatterns += [
    path("styrdokument/", governing_views.governing_list, name="governing_list"),
    path("styrdokument/importera/", governing_import_views.governing_import, name="governing_import"),
    path("styrdokument/<slug:slug>/", governing_views.governing_detail, name="governing_detail"),
    path("styrdokument/<slug:slug>/jamfor/", governing_views.governing_compare, name="governing_compare"),
    path("styrdokument/<slug:slug>/andra/", governing_views.revision_propose, name="revision_propose"),
    path("styrdokument/<slug:slug>/forlang/", governing_views.validity_extend, name="validity_extend"),
    path("styrdokument/<slug:slug>/historik/", history_views.governing_history, name="governing_history"),
    path(
        "styrdokument/<slug:slug>/tillagg/<slug:subregion>/",
        governing_views.supplement_write,
        name="supplement_write",
    ),
    path("styrdokument/<slug:slug>/version/<int:number>/", governing_views.revision_detail, name="revision_detail"),
    path(
        "styrdokument/<slug:slug>/version/<int:number>/stallning/",
        governing_views.revision_position,
        name="revision_position",
    ),
    path(
        "styrdokument/<slug:slug>/version/<int:number>/lyft/",
        governing_views.revision_escalate,
        name="revision_escalate",
    ),
    path(
        "styrdokument/<slug:slug>/version/<int:number>/redaktionell/",
        governing_views.revision_deescalate,
        name="revision_deescalate",
    ),
    path(
        "styrdokument/<slug:slug>/version/<int:number>/kommentar/",
        governing_consultation_views.comment_add,
        name="revision_comment",
    ),
    path(
        "styrdokument/<slug:slug>/version/<int:number>/kommentar/<int:pk>/svar/",
        governing_consultation_views.comment_answer,
        name="revision_comment_answer",
    ),
    path(
        "styrdokument/<slug:slug>/version/<int:number>/aterta/",
        governing_consultation_views.revision_withdraw,
        name="revision_withdraw",
    ),
    path("styrdokument/<slug:slug>/version/<int:number>/pdf/", governing_views.revision_pdf, name="revision_pdf"),
]
