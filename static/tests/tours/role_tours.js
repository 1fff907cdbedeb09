import { registry } from "@web/core/registry";

/**
 * A tour per role beside the operator's phone tour (scan_screen_tour.js):
 * tests/test_role_tours.py sets the data up and checks the database afterwards.
 */

/** Pick ``name`` in the many2one field ``field`` of the open dialog. */
function pickInDialog(field, typed, name) {
    return [
        {
            content: `type ${typed} in ${field}`,
            trigger: `.modal .o_field_widget[name=${field}] input`,
            run: `edit ${typed}`,
        },
        {
            content: `choose ${name}`,
            trigger: `.o-autocomplete--dropdown-menu .dropdown-item:contains('${name}')`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("stock_asset_tracking_manager", {
    steps: () => [
        {
            content: "the list tells assets apart by their tag",
            trigger: ".o_list_view .o_data_row td[name=code]:contains('TOUR-M1')",
        },
        {
            content: "a held asset shows the person first, then the company",
            trigger:
                ".o_data_row:contains('TOUR-M2') td[name=holder_id]:contains('Dora Mills (Mills & Sons)')",
        },
        {
            content: "open the caliper",
            trigger: ".o_data_row td[name=code]:contains('TOUR-M1')",
            run: "click",
        },
        {
            content: "the form is named by the asset's tag",
            trigger: ".o_breadcrumb .active:contains('[TOUR-M1] Tour Caliper')",
        },
        {
            content: "operations only: no accounting button for an asset manager",
            trigger: ".o_form_statusbar button[name=action_open_checkout_wizard]",
            run() {
                const labels = [...document.querySelectorAll(".o_form_statusbar button")].map(
                    (button) => button.textContent.trim()
                );
                for (const accounting of ["Compute Board", "Post Depreciation", "Dispose"]) {
                    if (labels.includes(accounting)) {
                        throw new Error(`an asset manager is offered "${accounting}"`);
                    }
                }
            },
        },
        {
            content: "check it out",
            trigger: ".o_form_statusbar button[name=action_open_checkout_wizard]",
            run: "click",
        },
        ...pickInDialog("holder_id", "Dora", "Dora Mills"),
        {
            content: "confirm the check-out",
            trigger: ".modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the form shows who holds it now",
            trigger:
                ".o_form_view:not(:has(.modal)) .o_field_widget[name=holder_id]:contains('Dora Mills')",
        },
        {
            content: "and offers to check it in",
            trigger: ".o_form_statusbar button[name=action_open_checkin_wizard]",
        },
    ],
});

registry.category("web_tour.tours").add("stock_asset_tracking_accountant", {
    steps: () => [
        {
            content: "the register lists the lathe by its tag",
            trigger: ".o_list_view .o_data_row td[name=code]:contains('TOUR-R1')",
            run: "click",
        },
        {
            content: "the form is named by the asset's tag",
            trigger: ".o_breadcrumb .active:contains('[TOUR-R1] Tour Lathe')",
        },
        {
            content: "open the register tab",
            trigger: ".o_notebook .nav-link:contains('Register')",
            run: "click",
        },
        {
            content: "the board is there, nothing posted yet",
            trigger:
                ".o_field_widget[name=depreciation_line_ids] .o_data_row:contains('2,000.00')",
        },
        {
            content: "post the depreciation",
            trigger: ".o_form_statusbar button:contains('Post Depreciation')",
            run: "click",
        },
        {
            content: "post up to the dialog's date",
            trigger: ".modal-footer button[name=action_post]",
            run: "click",
        },
        {
            content: "the entry posted opens: an accountant sees its journal items",
            trigger:
                ".o_field_widget[name=line_ids] .o_data_row:contains('2,000.00')",
        },
    ],
});
