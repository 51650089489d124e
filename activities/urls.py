from django.urls import path

from activities.views import (
    activities,
    calendar,
    contacts,
    dictionary,
    duplicates,
    follow_ups,
    history,
    imports,
    mentions,
    organisations,
    outcomes,
    pickers,
    projects,
    search,
)

app_name = "activities"

urlpatterns = [
    path("activities/", activities.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", activities.ActivityCreateView.as_view(), name="activity_add"),
    path("activities/import/", imports.activity_import, name="activity_import"),
    path("activities/calendar/", calendar.calendar_import, name="calendar_import"),
    path("activities/week/", calendar.activity_week, name="activity_week"),
    path("calendar-feed/", calendar.calendar_feed_settings, name="calendar_feed_settings"),
    path("activities/<int:pk>/", activities.ActivityDetailView.as_view(), name="activity_detail"),
    path(
        "activities/<int:pk>/edit/", activities.ActivityUpdateView.as_view(), name="activity_edit"
    ),
    path(
        "activities/<int:pk>/delete/",
        activities.ActivityDeleteView.as_view(),
        name="activity_delete",
    ),
    path(
        "activities/<int:pk>/history/",
        history.ActivityHistoryView.as_view(),
        name="activity_history",
    ),
    path("follow-ups/", follow_ups.FollowUpListView.as_view(), name="follow_up_list"),
    path("follow-ups/<int:pk>/done/", follow_ups.follow_up_done, name="follow_up_done"),
    path("follow-ups/<int:pk>/snooze/", follow_ups.follow_up_snooze, name="follow_up_snooze"),
    path("contacts/", contacts.ContactListView.as_view(), name="contact_list"),
    path("contacts/new/", contacts.ContactCreateView.as_view(), name="contact_add"),
    path("contacts/import/", imports.contact_import, name="contact_import"),
    path("contacts/duplicates/", duplicates.contact_duplicates, name="contact_duplicates"),
    path("contacts/duplicates/distinct/", duplicates.contact_distinct, name="contact_distinct"),
    path(
        "contacts/duplicates/check/",
        duplicates.contact_duplicates_check,
        name="contact_duplicates_check",
    ),
    path("contacts/quick-add/", pickers.contact_quick_add, name="contact_quick_add"),
    path("contacts/search/", pickers.contact_search, name="contact_search"),
    path("contacts/<int:pk>/", contacts.ContactDetailView.as_view(), name="contact_detail"),
    path("contacts/<int:pk>/edit/", contacts.ContactUpdateView.as_view(), name="contact_edit"),
    path("contacts/<int:pk>/merge/", duplicates.contact_merge, name="contact_merge"),
    path("contacts/<int:pk>/erase/", contacts.ContactEraseView.as_view(), name="contact_erase"),
    path(
        "contacts/<int:pk>/history/", history.ContactHistoryView.as_view(), name="contact_history"
    ),
    path("organisations/", organisations.OrganisationListView.as_view(), name="organisation_list"),
    path("organisations/search/", pickers.organisation_search, name="organisation_search"),
    path(
        "organisations/<int:pk>/edit/",
        organisations.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "organisations/<int:pk>/merge/",
        organisations.organisation_merge,
        name="organisation_merge",
    ),
    path("brokers/search/", pickers.broker_search, name="broker_search"),
    path("topics/search/", pickers.topic_search, name="topic_search"),
    path("projects/search/", pickers.project_search, name="project_search"),
    path("outcomes/", outcomes.OutcomeListView.as_view(), name="outcome_list"),
    path("outcomes/new/", outcomes.OutcomeCreateView.as_view(), name="outcome_add"),
    path("outcomes/<int:pk>/", outcomes.OutcomeDetailView.as_view(), name="outcome_detail"),
    path("outcomes/<int:pk>/edit/", outcomes.OutcomeUpdateView.as_view(), name="outcome_edit"),
    path("outcomes/<int:pk>/delete/", outcomes.OutcomeDeleteView.as_view(), name="outcome_delete"),
    path(
        "outcomes/<int:pk>/history/", history.OutcomeHistoryView.as_view(), name="outcome_history"
    ),
    path("projects/", projects.ProjectListView.as_view(), name="project_list"),
    path("projects/pipeline/", projects.ProjectPipelineView.as_view(), name="project_pipeline"),
    path("projects/new/", projects.ProjectCreateView.as_view(), name="project_add"),
    path("projects/<int:pk>/", projects.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", projects.ProjectUpdateView.as_view(), name="project_edit"),
    path("projects/<int:pk>/move/", projects.ProjectMoveView.as_view(), name="project_move"),
    path("projects/<int:pk>/delete/", projects.ProjectDeleteView.as_view(), name="project_delete"),
    path(
        "projects/<int:pk>/history/", history.ProjectHistoryView.as_view(), name="project_history"
    ),
    path("search/", search.global_search, name="global_search"),
    path("mentions/", mentions.mention_hints, name="mention_hints"),
    path("organisation-hints/", mentions.organisation_hints, name="organisation_hints"),
    path("data-dictionary/", dictionary.data_dictionary, name="data_dictionary"),
]
