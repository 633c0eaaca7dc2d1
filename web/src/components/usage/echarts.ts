// The parts of ECharts the usage charts use, registered once: stacked bars on a grid with a tooltip, a legend and
// the accessible description. Importing from echarts/core keeps the rest of ECharts out of the bundle.
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([CanvasRenderer, BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent]);
