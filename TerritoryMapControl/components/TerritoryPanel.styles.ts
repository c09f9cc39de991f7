import { makeStyles, shorthands, tokens } from "@fluentui/react-components";

export const useTerritoryPanelStyles = makeStyles({
  panel: {
    width: "280px",
    flexShrink: 0,
    overflowY: "auto",
    borderLeft: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    ...shorthands.padding(tokens.spacingVerticalS, tokens.spacingHorizontalM),
    boxSizing: "border-box",
  },
  heading: {
    // Host pages style bare headings; keep ours as designed.
    textTransform: "none",
    letterSpacing: "normal",
    color: tokens.colorNeutralForeground1,
    fontSize: tokens.fontSizeBase300,
    fontWeight: tokens.fontWeightSemibold,
    marginTop: 0,
    marginBottom: tokens.spacingVerticalS,
  },
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
  },
  row: {
    display: "grid",
    gridTemplateColumns: "12px 1fr auto",
    columnGap: tokens.spacingHorizontalS,
    alignItems: "center",
    ...shorthands.padding(tokens.spacingVerticalXS, 0),
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
  },
  swatch: {
    width: "12px",
    height: "12px",
    borderRadius: tokens.borderRadiusCircular,
  },
  name: {
    fontSize: tokens.fontSizeBase300,
    overflow: "hidden",
    textOverflow: "ellipsis",
    whiteSpace: "nowrap",
  },
  rep: {
    display: "block",
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground3,
  },
  count: {
    fontSize: tokens.fontSizeBase200,
    fontVariantNumeric: "tabular-nums",
    color: tokens.colorNeutralForeground2,
  },
});
