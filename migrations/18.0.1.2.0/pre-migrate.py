# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo records took the OCA ``_demo`` suffix in 18.0.1.2.0: rename their
external ids in databases with the demo data, so that the update finds them
instead of creating a second copy (two users with the login "dana")."""

DEMO_XMLIDS = (
    "user_dana_levi",
    "user_marek_novak",
    "helpdesk_category_mechanical",
    "helpdesk_category_bodywork",
    "helpdesk_category_service",
    "helpdesk_category_sales",
    "partner_yossi_cohen",
    "partner_noa_mizrahi",
    "partner_ana_kovac",
    "partner_matej_zupancic",
    "partner_katarzyna_wisniewska",
    "partner_piotr_kowalczyk",
    "partner_dmitry_sokolov",
    "partner_elena_volkova",
    "partner_tomas_dvorak",
    "partner_jana_svobodova",
    "partner_autoflota",
    "partner_mojca_krajnc",
    "partner_gregor_potocnik",
    "partner_transkop",
    "partner_tomasz_zielinski",
    "fleet_model_octavia",
    "fleet_model_tucson",
    "fleet_model_ceed",
    "vehicle_cohen_corolla",
    "vehicle_mizrahi_golf",
    "vehicle_kovac_clio",
    "vehicle_zupancic_octavia",
    "vehicle_wisniewska_focus",
    "vehicle_kowalczyk_ceed",
    "vehicle_sokolov_tucson",
    "vehicle_volkova_corolla",
    "vehicle_dvorak_octavia",
    "vehicle_svobodova_micra",
    "vehicle_autoflota_golf",
    "vehicle_autoflota_octavia",
    "vehicle_transkop_focus",
    "complaint_sla_high_urgency",
    "complaint_sla_fleet_customer",
    "complaint_engine_light",
    "complaint_not_ready",
    "complaint_carwash_scratch",
    "complaint_invoice_quote",
    "complaint_survey_reception",
    "complaint_air_conditioning",
    "complaint_recall_airbag",
    "complaint_spare_key",
    "complaint_clutch_slipping",
    "complaint_oil_stains",
    "complaint_paint_mismatch",
    "complaint_delivery_postponed",
    "complaint_brake_squeal",
    "complaint_wrong_tyres",
    "complaint_courtesy_fuel",
    "complaint_windscreen_leak",
    "complaint_battery_drained",
    "complaint_parking_sensor",
    "complaint_gearbox_warranty",
    "complaint_service_book",
    "complaint_starter_misdiagnosed",
    "complaint_dirty_interior",
    "complaint_headlight_bulb",
    "complaint_service_three_days",
    "complaint_rust_spots",
    "complaint_diagnostics_price",
    "complaint_infotainment",
    "complaint_pothole_tyre",
    "complaint_engine_noise",
    "complaint_deposit_refund",
    "transfer_paint_mismatch",
    "transfer_brake_squeal",
    "transfer_gearbox_warranty",
    "transfer_rust_spots_1",
    "transfer_rust_spots_2",
    "ticket_tyre_storage",
    "ticket_timing_belt_quote",
    "ticket_fleet_booking",
    "ticket_accessories",
    "user_portal_ana_kovac",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE ir_model_data d
           SET name = d.name || '_demo'
         WHERE d.module = 'helpdesk_mgmt_complaint'
           AND d.name IN %s
           AND NOT EXISTS (
                SELECT 1 FROM ir_model_data n
                 WHERE n.module = d.module AND n.name = d.name || '_demo')
        """,
        (DEMO_XMLIDS,),
    )
