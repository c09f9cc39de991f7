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
    // Nothing of the control may widen or scroll the host's element: content that does not fit is clipped here
    // (clip, unlike hidden, cannot be scrolled by focus or scrollIntoView), and every part fits its own box.
    overflow: "clip",
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    fontFamily: tokens.fontFamilyBase,
  },
  header: {
    display: "flex",
    alignItems: "center",
    flexWrap: "wrap",
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
    ...shorthands.padding(tokens.spacingVerticalS, tokens.spacingHorizontalM),
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  title: {
    fontSize: tokens.fontSizeBase400,
    fontWeight: tokens.fontWeightSemibold,
    flexGrow: 1,
    flexBasis: "120px",
    minWidth: 0,
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
    minWidth: 0,
    position: "relative",
  },
  // Narrow forms: the map on top, the card under it (the card scrolls inside itself).
  bodyStacked: {
    flexDirection: "column",
  },
  mapArea: {
    position: "relative",
    flexGrow: 1,
    minWidth: 0,
    minHeight: "320px",
    // The map SDK's controls (zoom buttons) carry their own z-index; isolated here, they stay under dialogs and
    // menus, which Fluent portals into the page after the control.
    isolation: "isolate",
    zIndex: 0,
  },
  mapAreaStacked: {
    flexGrow: 0,
    flexShrink: 0,
    minHeight: "240px",
    height: "45%",
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
