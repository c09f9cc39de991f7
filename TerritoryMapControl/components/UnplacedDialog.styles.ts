import { makeStyles, shorthands, tokens } from "@fluentui/react-components";

export const useUnplacedDialogStyles = makeStyles({
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    maxHeight: "50vh",
    overflowY: "auto",
  },
  row: {
    display: "flex",
    justifyContent: "space-between",
    columnGap: tokens.spacingHorizontalM,
    ...shorthands.padding(tokens.spacingVerticalXS, 0),
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
  },
  name: {
    overflowWrap: "anywhere",
  },
  reason: {
    color: tokens.colorNeutralForeground3,
    flexShrink: 0,
  },
  intro: {
    marginBottom: tokens.spacingVerticalS,
  },
});
