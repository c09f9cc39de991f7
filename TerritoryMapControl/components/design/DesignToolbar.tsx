import * as React from "react";
import {
  Dropdown,
  Menu,
  MenuItemCheckbox,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Option,
  Overflow,
  OverflowItem,
  Toolbar,
  ToolbarButton,
  ToolbarDivider,
  ToolbarRadioButton,
  ToolbarRadioGroup,
  ToolbarToggleButton,
  useIsOverflowItemVisible,
  useOverflowMenu,
} from "@fluentui/react-components";
import type { DrawTool } from "../../app/ports/map";
import { useDesignStyles } from "./design.styles";

/** The drawing modes (the map port's DrawTool). */
export type DesignTool = DrawTool;

export interface DesignToolbarProps {
  tool: DesignTool;
  onToolChange: (tool: DesignTool) => void;
  heatMap: boolean;
  onHeatMapChange: (on: boolean) => void;
  /** Heat-map weighting: "count" or a measure key. */
  heatWeight: string;
  /** Measures the heat map can be weighted by (the count option is added by the toolbar). */
  heatWeightOptions: readonly { key: string; label: string }[];
  onHeatWeightChange: (key: string) => void;
  clusters: boolean;
  onClustersChange: (on: boolean) => void;
  disabled?: boolean;
  getString: (key: string) => string;
}

const TOOLS: { tool: DesignTool; key: string; hint: string }[] = [
  { tool: "idle", key: "Design_ToolPan", hint: "Design_ToolPanHint" },
  { tool: "lasso", key: "Design_ToolLasso", hint: "Design_ToolLassoHint" },
  { tool: "box", key: "Design_ToolBox", hint: "Design_ToolBoxHint" },
  { tool: "polygon", key: "Design_ToolPolygon", hint: "Design_ToolPolygonHint" },
  { tool: "rectangle", key: "Design_ToolRectangle", hint: "Design_ToolRectangleHint" },
  { tool: "circle", key: "Design_ToolCircle", hint: "Design_ToolCircleHint" },
  { tool: "edit", key: "Design_ToolEdit", hint: "Design_ToolEditHint" },
  { tool: "erase", key: "Design_ToolErase", hint: "Design_ToolEraseHint" },
];

type Checked = Record<string, string[]>;

/** One hidden tool as a menu item (rendered only while the toolbar has no room for its button). */
const OverflowToolItem: React.FC<{ id: string; children: React.ReactElement }> = ({ id, children }) =>
  useIsOverflowItemVisible(id) ? null : children;

/**
 * "More": the tools the toolbar has no room for, as a menu with the same radio group ("tool") and toggles ("view");
 * rendered only while something overflows.
 */
const OverflowMenu: React.FC<{
  checked: Checked;
  onChecked: (name: string, items: string[]) => void;
  disabled?: boolean;
  getString: (key: string) => string;
}> = ({ checked, onChecked, disabled, getString }) => {
  const { ref, isOverflowing, overflowCount } = useOverflowMenu<HTMLButtonElement>();
  if (!isOverflowing) return null;
  return (
    <Menu checkedValues={checked} onCheckedValueChange={(_, d) => onChecked(d.name, d.checkedItems)}>
      <MenuTrigger disableButtonEnhancement>
        <ToolbarButton
          ref={ref}
          appearance="subtle"
          aria-label={getString("Design_MoreToolsLabel")}
          title={getString("Design_MoreToolsLabel")}
          data-testid="design-toolbar-more"
          data-count={overflowCount}
        >
          {getString("Design_MoreTools")}
        </ToolbarButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList data-testid="design-toolbar-more-menu">
          {TOOLS.map((t) => (
            <OverflowToolItem key={t.tool} id={t.tool}>
              <MenuItemRadio name="tool" value={t.tool} disabled={disabled} title={getString(t.hint)} data-tool={t.tool}>
                {getString(t.key)}
              </MenuItemRadio>
            </OverflowToolItem>
          ))}
          <OverflowToolItem id="heat">
            <MenuItemCheckbox name="view" value="heat" disabled={disabled}>
              {getString("Design_HeatMap")}
            </MenuItemCheckbox>
          </OverflowToolItem>
          <OverflowToolItem id="clusters">
            <MenuItemCheckbox name="view" value="clusters" disabled={disabled}>
              {getString("Design_Clusters")}
            </MenuItemCheckbox>
          </OverflowToolItem>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
};

/**
 * Drawing and view tools. One Fluent Toolbar: arrow keys move between buttons, Space/Enter picks a tool (radio
 * group "tool"), Escape on the map returns to Pan. Every button's accessible name is its visible label; the hint
 * is the button's title (a native tooltip; Fluent's Tooltip portals stayed open over the map in the platform's
 * Fluent build and swallowed the pointer). The buttons that do not fit the card's width move, from the end, into
 * the toolbar's "More" menu (a Fluent Overflow), which offers the same radio group and toggles.
 */
export const DesignToolbar: React.FC<DesignToolbarProps> = React.memo((props) => {
  const {
    tool,
    onToolChange,
    heatMap,
    onHeatMapChange,
    heatWeight,
    heatWeightOptions,
    onHeatWeightChange,
    clusters,
    onClustersChange,
    disabled,
    getString,
  } = props;
  const styles = useDesignStyles();
  const checked = React.useMemo<Checked>(
    () => ({ tool: [tool], view: [...(heatMap ? ["heat"] : []), ...(clusters ? ["clusters"] : [])] }),
    [tool, heatMap, clusters],
  );
  const onChecked = React.useCallback(
    (name: string, items: string[]) => {
      if (name === "tool") onToolChange((items[0] as DesignTool | undefined) ?? "idle");
      if (name === "view") {
        if (items.includes("heat") !== heatMap) onHeatMapChange(!heatMap);
        if (items.includes("clusters") !== clusters) onClustersChange(!clusters);
      }
    },
    [onToolChange, onHeatMapChange, onClustersChange, heatMap, clusters],
  );
  const onCheckedValueChange = React.useCallback(
    (_: unknown, data: { name: string; checkedItems: string[] }) => {
      if (data.name === "tool") onChecked("tool", data.checkedItems);
    },
    [onChecked],
  );
  const weightOptions = React.useMemo(
    () => [{ key: "count", label: getString("Design_HeatByCount") }, ...heatWeightOptions],
    [heatWeightOptions, getString],
  );
  const weightLabel = weightOptions.find((o) => o.key === heatWeight)?.label ?? "";
  return (
    <div className={styles.toolbarRow}>
      <Overflow padding={8}>
        <Toolbar
          aria-label={getString("Design_ToolbarLabel")}
          checkedValues={checked}
          onCheckedValueChange={onCheckedValueChange}
          size="small"
          className={styles.toolbar}
          data-testid="design-toolbar"
        >
          <ToolbarRadioGroup aria-label={getString("Design_ToolGroupLabel")} className={styles.toolbarGroup}>
            {TOOLS.map((t) => (
              <OverflowItem key={t.tool} id={t.tool}>
                <ToolbarRadioButton
                  name="tool"
                  value={t.tool}
                  appearance="subtle"
                  disabled={disabled}
                  data-tool={t.tool}
                  title={getString(t.hint)}
                >
                  {getString(t.key)}
                </ToolbarRadioButton>
              </OverflowItem>
            ))}
          </ToolbarRadioGroup>
          <ToolbarDivider />
          <OverflowItem id="heat">
            <ToolbarToggleButton
              name="view"
              value="heat"
              appearance="subtle"
              disabled={disabled}
              onClick={() => onHeatMapChange(!heatMap)}
              data-testid="toggle-heat"
            >
              {getString("Design_HeatMap")}
            </ToolbarToggleButton>
          </OverflowItem>
          <OverflowItem id="clusters">
            <ToolbarToggleButton
              name="view"
              value="clusters"
              appearance="subtle"
              disabled={disabled}
              onClick={() => onClustersChange(!clusters)}
              data-testid="toggle-clusters"
            >
              {getString("Design_Clusters")}
            </ToolbarToggleButton>
          </OverflowItem>
          <OverflowMenu checked={checked} onChecked={onChecked} disabled={disabled} getString={getString} />
        </Toolbar>
      </Overflow>
      {heatMap && (
        <Dropdown
          className={styles.weightDropdown}
          size="small"
          aria-label={getString("Design_HeatWeightLabel")}
          value={weightLabel}
          selectedOptions={[heatWeight]}
          onOptionSelect={(_, d) => d.optionValue && onHeatWeightChange(d.optionValue)}
          disabled={disabled}
        >
          {weightOptions.map((o) => (
            <Option key={o.key} value={o.key}>
              {o.label}
            </Option>
          ))}
        </Dropdown>
      )}
    </div>
  );
});
DesignToolbar.displayName = "DesignToolbar";
