import { makeStyles, shorthands, tokens } from "@fluentui/react-components";

export const usePublishDialogStyles = makeStyles({
  content: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalM,
  },
  conflicts: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalS,
  },
  bulk: {
    display: "flex",
    columnGap: tokens.spacingHorizontalS,
  },
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    maxHeight: "40vh",
    overflowY: "auto",
  },
  row: {
    display: "flex",
    alignItems: "center",
    justifyContent: "space-between",
    columnGap: tokens.spacingHorizontalM,
    ...shorthands.padding(tokens.spacingVerticalXXS, 0),
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
  },
  rowText: {
    overflowWrap: "anywhere",
  },
  failure: {
    overflowWrap: "anywhere",
    ...shorthands.padding(tokens.spacingVerticalXXS, 0),
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
  },
  undecided: {
    color: tokens.colorPaletteDarkOrangeForeground1,
  },
});
