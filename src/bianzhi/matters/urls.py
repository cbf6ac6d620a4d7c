from django.urls import path

from bianzhi.matters import meeting_views, views

app_name = "matters"
urlpatterns = [
    path("", views.matter_list, name="matter_list"),
    path("new/", views.matter_new, name="matter_new"),
    path("export/", views.matter_export, name="matter_export"),
    path("<int:pk>/", views.matter_detail, name="matter_detail"),
    path("<int:pk>/act/<str:name>/", views.matter_act, name="matter_act"),
    path("<int:pk>/review/", views.matter_review, name="matter_review"),
    path("<int:pk>/apply/", views.matter_apply_view, name="matter_apply"),
    path("<int:pk>/steps/new/<str:operation>/", views.step_new, name="step_new"),
    path("<int:pk>/steps/<int:position>/remove/", views.step_remove, name="step_remove"),
    path("<int:pk>/steps/check/<str:operation>/", views.step_check, name="step_check"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/attachments/<int:attachment_id>/remove/", views.attachment_remove, name="attachment_remove"),
    path("<int:pk>/documents/", views.document_link, name="document_link"),
    path("<int:pk>/documents/<int:document_id>/remove/", views.document_unlink, name="document_unlink"),
    path("<int:pk>/consultations/", views.consultation_new, name="consultation_new"),
    path("<int:pk>/consultations/<int:consultation_id>/reply/", views.consultation_answer, name="consultation_reply"),
    path("<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("meetings/", meeting_views.meeting_list, name="meeting_list"),
    path("meetings/new/", meeting_views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/items/", meeting_views.meeting_item_new, name="meeting_item_add"),
    path("meetings/<int:pk>/items/<int:item_id>/remove/", meeting_views.meeting_item_drop, name="meeting_item_remove"),
    path("meetings/<int:pk>/record/", meeting_views.meeting_record_view, name="meeting_record"),
    path("meetings/<int:pk>/pack.pdf", meeting_views.meeting_pack_pdf, name="meeting_pack"),
    path("rules/", meeting_views.body_rules, name="body_rules"),
]

# ---- 规范性文件审核 and 机构编制报告 (each section of this file is kept by one engineer)
from bianzhi.matters import normative_views, reporting_views  # noqa: E402

urlpatterns += [
    path("normative/", normative_views.normative_list, name="normative_list"),
    path("normative/new/", normative_views.normative_new, name="normative_new"),
    path("normative/export/", normative_views.normative_export, name="normative_export"),
    path("normative/<int:pk>/", normative_views.normative_detail, name="normative_detail"),
    path("normative/<int:pk>/draft/", normative_views.normative_draft, name="normative_draft"),
    path("normative/<int:pk>/letter.pdf", normative_views.normative_letter, name="normative_letter"),
    path("normative/<int:pk>/clauses/", normative_views.normative_clause_add, name="normative_clause_add"),
    path(
        "normative/<int:pk>/clauses/<int:clause>/", normative_views.normative_clause_edit, name="normative_clause_edit"
    ),
    path(
        "normative/<int:pk>/clauses/<int:clause>/remove/",
        normative_views.normative_clause_remove,
        name="normative_clause_remove",
    ),
    path("normative/<int:pk>/reply/", normative_views.normative_reply, name="normative_reply"),
    path("normative/<int:pk>/withdraw/", normative_views.normative_withdraw, name="normative_withdraw"),
    path("reports/", reporting_views.report_list, name="report_list"),
    path("reports/export/", reporting_views.report_export, name="report_export"),
    path("reports/schedule/", reporting_views.report_schedule, name="report_schedule"),
    path("reports/<int:pk>/", reporting_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/files/<int:file>/", reporting_views.report_file, name="report_file"),
    path("reports/<int:pk>/submit/", reporting_views.report_submit, name="report_submit"),
    path("reports/<int:pk>/accept/", reporting_views.report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", reporting_views.report_return, name="report_return"),
]
