/** Standalone design components: plain props and callbacks, strings from the resx via getString. */
export { DesignToolbar, type DesignToolbarProps, type DesignTool } from "./DesignToolbar";
export { SelectionPanel, SELECTION_LIST_LIMIT, type SelectionPanelProps, type SelectionRow } from "./SelectionPanel";
export { PostalCodeImportDialog, POSTAL_PREVIEW_LIMIT, type PostalCodeImportDialogProps } from "./PostalCodeImportDialog";
export { AutoBalanceDialog, type AutoBalanceDialogProps } from "./AutoBalanceDialog";
export { RuntimeChangeDialog, PROPOSAL_LIST_LIMIT, type RuntimeChangeDialogProps } from "./RuntimeChangeDialog";
