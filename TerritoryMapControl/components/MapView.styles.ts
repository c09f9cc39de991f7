import { makeStyles, tokens } from "@fluentui/react-components";

export const useMapViewStyles = makeStyles({
  map: {
    position: "absolute",
    top: 0,
    right: 0,
    bottom: 0,
    left: 0,
    backgroundColor: "#d4e4f1",
  },
  overlay: {
    position: "absolute",
    top: tokens.spacingVerticalM,
    left: tokens.spacingHorizontalM,
    right: tokens.spacingHorizontalM,
  },
});
