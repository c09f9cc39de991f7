import { makeStyles, shorthands, tokens } from "@fluentui/react-components";

export const useDesignStyles = makeStyles({
  toolbarRow: {
    display: "flex",
    alignItems: "center",
    flexWrap: "wrap",
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalXS,
    minWidth: 0,
  },
  // The toolbar takes the row's width and never more: what does not fit goes into its "More" menu.
  toolbar: {
    flexGrow: 1,
    flexBasis: "100%",
    minWidth: 0,
    flexWrap: "nowrap",
    overflow: "hidden",
    paddingLeft: 0,
    paddingRight: 0,
    // A button keeps its one-line label; the overflow manager moves whole buttons into "More" instead.
    "& button": { whiteSpace: "nowrap", flexShrink: 0 },
  },
  toolbarGroup: { display: "flex", flexWrap: "nowrap", flexShrink: 0 },
  weightDropdown: { minWidth: "160px", maxWidth: "100%" },
  panel: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS, minWidth: 0 },
  totals: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  list: { listStyleType: "none", margin: 0, padding: 0, maxHeight: "40vh", overflowY: "auto" },
  row: {
    display: "flex",
    justifyContent: "space-between",
    columnGap: tokens.spacingHorizontalM,
    ...shorthands.padding(tokens.spacingVerticalXXS, 0),
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
  },
  name: { overflowWrap: "anywhere" },
  secondary: { color: tokens.colorNeutralForeground3, flexShrink: 0 },
  actions: { display: "flex", flexWrap: "wrap", alignItems: "end", columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalS },
  form: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  inline: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalS, alignItems: "end" },
  table: { width: "100%", borderCollapse: "collapse", fontSize: tokens.fontSizeBase200 },
  scroll: { maxHeight: "36vh", overflowY: "auto" },
  error: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  textarea: { minHeight: "140px", fontFamily: tokens.fontFamilyMonospace },
  numberCell: { textAlign: "right", fontVariantNumeric: "tabular-nums" },
  coordinate: { width: "110px" },
});
