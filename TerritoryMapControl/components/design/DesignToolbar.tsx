import * as React from "react";
import {
  Dropdown,
  Option,
  Toolbar,
  ToolbarDivider,
  ToolbarRadioButton,
  ToolbarRadioGroup,
  ToolbarToggleButton,
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

/**
 * Drawing and view tools. One Fluent Toolbar: arrow keys move between buttons, Space/Enter picks a tool (radio
 * group "tool"), Escape on the map returns to Pan. Every button's accessible name is its visible label; the hint
 * is the button's title (a native tooltip; Fluent's Tooltip portals stayed open over the map in the platform's
 * Fluent build and swallowed the pointer).
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
  const checked = React.useMemo(
    () => ({ tool: [tool], view: [...(heatMap ? ["heat"] : []), ...(clusters ? ["clusters"] : [])] }),
    [tool, heatMap, clusters],
  );
  const onCheckedValueChange = React.useCallback(
    (_: unknown, data: { name: string; checkedItems: string[] }) => {
      if (data.name === "tool") onToolChange((data.checkedItems[0] as DesignTool | undefined) ?? "idle");
    },
    [onToolChange],
  );
  const weightOptions = React.useMemo(
    () => [{ key: "count", label: getString("Design_HeatByCount") }, ...heatWeightOptions],
    [heatWeightOptions, getString],
  );
  const weightLabel = weightOptions.find((o) => o.key === heatWeight)?.label ?? "";
  return (
    <div className={styles.toolbarRow}>
      <Toolbar
        aria-label={getString("Design_ToolbarLabel")}
        checkedValues={checked}
        onCheckedValueChange={onCheckedValueChange}
        size="small"
        data-testid="design-toolbar"
      >
        <ToolbarRadioGroup aria-label={getString("Design_ToolGroupLabel")}>
          {TOOLS.map((t) => (
            <ToolbarRadioButton
              key={t.tool}
              name="tool"
              value={t.tool}
              appearance="subtle"
              disabled={disabled}
              data-tool={t.tool}
              title={getString(t.hint)}
            >
              {getString(t.key)}
            </ToolbarRadioButton>
          ))}
        </ToolbarRadioGroup>
        <ToolbarDivider />
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
      </Toolbar>
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
