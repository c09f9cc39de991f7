import * as React from "react";
import { Button, Menu, MenuDivider, MenuItem, MenuList, MenuPopover, MenuTrigger } from "@fluentui/react-components";

export type PlanAction =
  "save" | "save-new" | "publish" | "rename" | "assign-rep" | "delete" | "export-csv" | "export-geojson" | "export-kml";

export interface ActionsMenuProps {
  onAction: (action: PlanAction) => void;
  /** Why Publish is unavailable (shown next to the item), or null when it can be chosen. */
  publishBlockedReason: string | null;
  /** Rename / Assign rep / Delete need a selected territory. */
  hasSelection: boolean;
  /** Everything is disabled while a save or load runs. */
  busy: boolean;
  getString: (key: string) => string;
}

/**
 * The Actions menu. Accessible names are exactly: Save as draft, Save as new draft, Publish, Rename, Assign rep,
 * Delete, Export (with CSV, GeoJSON and KML in its submenu) — each set with aria-label so secondary text (the reason
 * Publish is disabled, the submenu chevron) never changes the name.
 */
export const ActionsMenu: React.FC<ActionsMenuProps> = React.memo(({ onAction, publishBlockedReason, hasSelection, busy, getString }) => {
  const item = (action: PlanAction, key: string, disabled: boolean, extra: Partial<React.ComponentProps<typeof MenuItem>> = {}) => {
    const label = getString(key);
    return (
      <MenuItem key={action} aria-label={label} disabled={disabled} onClick={() => onAction(action)} data-action={action} {...extra}>
        {label}
      </MenuItem>
    );
  };
  const publishReasonId = "tmap-publish-reason";
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <Button appearance="primary" data-testid="actions-button" disabled={busy}>
          {getString("Actions_Button")}
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList data-testid="actions-menu">
          {item("save", "Actions_SaveAsDraft", busy)}
          {item("save-new", "Actions_SaveAsNewDraft", busy)}
          {item(
            "publish",
            "Actions_Publish",
            busy || publishBlockedReason !== null,
            publishBlockedReason
              ? {
                  secondaryContent: { children: publishBlockedReason, id: publishReasonId },
                  "aria-describedby": publishReasonId,
                  title: publishBlockedReason,
                }
              : {},
          )}
          <MenuDivider />
          {item("rename", "Actions_Rename", busy || !hasSelection)}
          {item("assign-rep", "Actions_AssignRep", busy || !hasSelection)}
          {item("delete", "Actions_Delete", busy || !hasSelection)}
          <MenuDivider />
          <Menu>
            <MenuTrigger disableButtonEnhancement>
              <MenuItem aria-label={getString("Actions_Export")} data-action="export">
                {getString("Actions_Export")}
              </MenuItem>
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                {item("export-csv", "Actions_ExportCsv", false)}
                {item("export-geojson", "Actions_ExportGeoJson", false)}
                {item("export-kml", "Actions_ExportKml", false)}
              </MenuList>
            </MenuPopover>
          </Menu>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
});
ActionsMenu.displayName = "ActionsMenu";
