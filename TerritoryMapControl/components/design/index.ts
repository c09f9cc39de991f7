/** Standalone design components (issue 5): plain props and callbacks, strings from the resx via getString. */
export { DesignToolbar, type DesignToolbarProps, type DesignTool } from "./DesignToolbar";
export { SelectionPanel, SELECTION_LIST_LIMIT, type SelectionPanelProps, type SelectionRow } from "./SelectionPanel";
export {
  PostalCodeImportDialog,
  POSTAL_PREVIEW_LIMIT,
  type PostalCodeImportDialogProps,
  type PostalCodeImportResult,
  type PostalCodeGroupResult,
} from "./PostalCodeImportDialog";
export { AutoBalanceDialog, type AutoBalanceDialogProps, type AutoBalanceApplyResult, type BalanceRep } from "./AutoBalanceDialog";
export {
  RuntimeChangeDialog,
  PROPOSAL_LIST_LIMIT,
  type RuntimeChangeDialogProps,
  type RuntimeChangeResult,
  type RuntimeChangeKind,
} from "./RuntimeChangeDialog";
