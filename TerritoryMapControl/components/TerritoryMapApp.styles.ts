import { makeStyles, shorthands, tokens } from "@fluentui/react-components";

export const useAppStyles = makeStyles({
  // Fluent passes the provider's className on to every portal mount node (menus, listboxes, tooltips), which are
  // absolutely positioned at the top left with z-index 1000000: width / height 100% there made each open portal a
  // white sheet over the whole page that swallowed the pointer. `display: contents` sizes nothing (the root's 100%
  // resolves against the control's container, as before) and leaves portal mount nodes without a box.
  provider: {
    display: "contents",
  },
  root: {
    display: "flex",
    flexDirection: "column",
    width: "100%",
    height: "100%",
    minHeight: "480px",
    boxSizing: "border-box",
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    fontFamily: tokens.fontFamilyBase,
  },
  header: {
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalM,
    ...shorthands.padding(tokens.spacingVerticalS, tokens.spacingHorizontalM),
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  title: {
    fontSize: tokens.fontSizeBase400,
    fontWeight: tokens.fontWeightSemibold,
    flexGrow: 1,
    whiteSpace: "nowrap",
    overflow: "hidden",
    textOverflow: "ellipsis",
  },
  banner: {
    ...shorthands.padding(tokens.spacingVerticalS, tokens.spacingHorizontalM, "0"),
  },
  body: {
    display: "flex",
    flexGrow: 1,
    minHeight: 0,
    position: "relative",
  },
  mapArea: {
    position: "relative",
    flexGrow: 1,
    minWidth: 0,
    minHeight: "320px",
  },
  status: {
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    ...shorthands.padding(tokens.spacingVerticalXS, tokens.spacingHorizontalM),
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
  },
});
