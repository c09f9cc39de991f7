import * as React from "react";
import type { MapFactory, MapOptions, MapPort } from "../app/ports/map";
import { useMapViewStyles } from "./MapView.styles";

export interface MapViewProps extends Omit<MapOptions, "subscriptionKey"> {
  /** Creates the map in the container (the composition root's factory). */
  createMap: MapFactory;
  /** Azure Maps key; null = offline basemap. The map is created once this is known (not undefined). */
  subscriptionKey: string | null | undefined;
  /** Accessible name of the map region. */
  ariaLabel: string;
  /** The map exists (after creation) / went away (before it is disposed). */
  onMap: (map: MapPort) => void;
  onMapGone: (map: MapPort) => void;
  /** The map cannot be created (e.g. no WebGL). */
  onMapError: (error: unknown) => void;
  /** Allocated size; a change triggers a resize (the container's ResizeObserver covers the rest). */
  width: number;
  height: number;
}

/** Hosts the map in a div; owns its lifetime (created when the key is known, disposed on unmount). */
export const MapView: React.FC<MapViewProps> = React.memo((props) => {
  const styles = useMapViewStyles();
  const containerRef = React.useRef<HTMLDivElement>(null);
  const mapRef = React.useRef<MapPort | null>(null);
  const { subscriptionKey, createMap, onMap, onMapGone, onMapError } = props;
  // Camera, labels and lookups are read once at creation: later changes must not rebuild the map.
  const initial = React.useRef(props);

  React.useEffect(() => {
    const container = containerRef.current;
    if (subscriptionKey === undefined || !container) return undefined;
    let map: MapPort;
    try {
      const p = initial.current;
      map = createMap(container, {
        subscriptionKey,
        center: p.center,
        zoom: p.zoom,
        colors: p.colors,
        labels: p.labels,
        territoryName: p.territoryName,
        onOpenRecord: p.onOpenRecord,
      });
    } catch (error) {
      onMapError(error);
      return undefined;
    }
    mapRef.current = map;
    onMap(map);
    return () => {
      mapRef.current = null;
      onMapGone(map);
      map.dispose();
    };
  }, [subscriptionKey, createMap, onMap, onMapGone, onMapError]);

  React.useEffect(() => {
    mapRef.current?.resize();
  }, [props.width, props.height]);

  return <div ref={containerRef} className={styles.map} role="region" aria-label={props.ariaLabel} data-testid="map" />;
});
MapView.displayName = "MapView";
